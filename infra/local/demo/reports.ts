import type { DemoContext } from './types.ts';

/** Reports from the public, sent through POST /reports as the form would send them. */
const reports = [
  {
    category: 'enviro.fly-tipping',
    description: 'About twenty black bags and a broken sofa dumped in the field gateway off Mill Lane.',
    location: { text: 'Field gateway, Mill Lane, near the old barn', lat: 52.7791, lng: -0.8268, postcode: 'LE14 2QX' },
    hateMotivated: false,
    flyTip: { landType: 'agricultural', wasteType: 'other-household', size: 'small-van-load' },
  },
  {
    category: 'asb.rowdy',
    description: 'Group of teenagers shouting and throwing bottles outside the shops most evenings after 9pm.',
    location: { postcode: 'LE13 0AB', text: 'Outside the parade of shops on the High Street' },
    hateMotivated: false,
    contact: { name: 'A Resident', email: 'resident@example.com', consentToContact: true },
  },
  {
    category: 'enviro.graffiti',
    description: 'New graffiti on the skate-park ramps and the side of the pavilion.',
    location: { text: 'Skate park, Melton Country Park', postcode: 'LE13 0NJ' },
    hateMotivated: false,
  },
  {
    category: 'asb.neighbour',
    description: 'Neighbour playing very loud music through the night and shouting abuse at my family.',
    location: { postcode: 'LE13 1DR' },
    hateMotivated: true,
    contact: { phone: '01632 960 001', consentToContact: true },
  },
];

export async function seedReports({ gateway, log }: DemoContext) {
  const day = 24 * 3600 * 1000;
  const sendJson = async (report: (typeof reports)[number], i: number) => {
    const occurredAt = new Date(Date.now() - (reports.length - i) * day).toISOString();
    const res = await fetch(`${gateway}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...report, occurredAt }),
    });
    if (res.status !== 202) throw new Error(`demo report ${i + 1} was refused: ${res.status} ${await res.text()}`);
  };
  // Independent reports, sent at once as several people would.
  await Promise.all([...reports.map(sendJson), sendFormWithPhoto(gateway)]);
  log(`demo data: ${reports.length + 1} reports from the public (one through the form, with a photo); the form is at ${gateway}/`);
}

/** A 1×1 PNG: enough for the photo checks and for officers' views to show a picture. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** The no-JavaScript path a person takes: the form, its confirmation page, a photo straight to S3. */
async function sendFormWithPhoto(gateway: string) {
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  const sent = await fetch(`${gateway}/reports`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      category: 'enviro.fly-tipping',
      description: 'Pile of plasterboard and paint tins dumped behind the community centre car park.',
      'when-day': String(yesterday.getUTCDate()),
      'when-month': String(yesterday.getUTCMonth() + 1),
      'when-year': String(yesterday.getUTCFullYear()),
      'when-time': '7:15am',
      'location-postcode': 'LE14 3AB',
      'location-text': 'Behind the community centre car park',
      // The fly-tipping questions, answered in part: the size is left to the officer.
      'flyTip-landType': 'council-land',
      'flyTip-wasteType': 'construction-demolition-excavation',
      'flyTip-size': 'dont-know',
      hateMotivated: 'no',
      consentToContact: 'no',
    }),
  });
  const confirmation = sent.headers.get('location');
  if (sent.status !== 303 || !confirmation) throw new Error(`the demo form report was refused: ${sent.status}`);
  const html = await (await fetch(`${gateway}${confirmation}`)).text();
  const form = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form?.[1]) throw new Error('the demo confirmation page offered no photo upload');
  const data = new FormData();
  for (const [, name = '', value = ''] of (form[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    data.append(name, value.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'"));
  }
  data.append('file', new Blob([PNG]), 'tip.png');
  const stored = await fetch(form[1].replaceAll('&amp;', '&'), { method: 'POST', body: data, redirect: 'manual' });
  const back = stored.headers.get('location');
  if (stored.status !== 303 || !back) throw new Error(`the demo photo upload was refused: ${stored.status}`);
  const checked = await fetch(back, { redirect: 'manual' });
  if (checked.status !== 303) throw new Error(`the demo photo was not accepted: ${checked.status}`);
}
