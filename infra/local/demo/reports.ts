import type { DemoContext } from './types.ts';

/** Reports from the public, sent through POST /reports as the form would send them. */
const reports = [
  {
    category: 'enviro.fly-tipping',
    description: 'About twenty black bags and a broken sofa dumped in the field gateway off Mill Lane.',
    location: { text: 'Field gateway, Mill Lane, near the old barn', lat: 52.6369, lng: -1.1398 },
    hateMotivated: false,
  },
  {
    category: 'asb.rowdy',
    description: 'Group of teenagers shouting and throwing bottles outside the shops most evenings after 9pm.',
    location: { postcode: 'LE1 5WW', text: 'Outside the parade of shops on High Street' },
    hateMotivated: false,
    contact: { name: 'A Resident', email: 'resident@example.com', consentToContact: true },
  },
  {
    category: 'enviro.graffiti',
    description: 'New graffiti on the skate-park ramps and the side of the pavilion.',
    location: { text: 'Victoria Park skate park' },
    hateMotivated: false,
  },
  {
    category: 'asb.neighbour',
    description: 'Neighbour playing very loud music through the night and shouting abuse at my family.',
    location: { postcode: 'LE2 1AB' },
    hateMotivated: true,
    contact: { phone: '01632 960 001', consentToContact: true },
  },
];

export async function seedReports({ gateway, log }: DemoContext) {
  const day = 24 * 3600 * 1000;
  for (const [i, report] of reports.entries()) {
    const occurredAt = new Date(Date.now() - (reports.length - i) * day).toISOString();
    const res = await fetch(`${gateway}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...report, occurredAt }),
    });
    if (res.status !== 202) throw new Error(`demo report ${i + 1} was refused: ${res.status} ${await res.text()}`);
  }
  log(`demo data: ${reports.length} reports from the public`);
}
