import { describe, expect, it } from 'vitest';
import { formErrors, sentence } from '../../web/forms.ts';
import '../../web/generated/templates/report.js'; // report/accessibility.njk
import '../../web/generated/templates/shared.js'; // errors/problem.njk
import { asset, page, render } from '../../web/render.ts';

describe('unit: web page rendering', () => {
  it('lets only the nonce-carrying inline script run when a page is rendered', () => {
    const result = page('errors/problem.njk', { heading: 'Test', message: 'a message' });
    const csp = String(result.headers?.['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const body = String(result.body);
    const scripts = [...body.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts.filter((attrs) => !attrs.includes('src='))).toEqual([` nonce="${nonce}"`]);
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(result.headers?.['cache-control']).toBe('no-store');
  });

  it('uses a fresh nonce for every page', () => {
    const a = page('report/accessibility.njk').headers?.['content-security-policy'];
    const b = page('report/accessibility.njk').headers?.['content-security-policy'];
    expect(a).not.toBe(b);
  });

  it('escapes text from the context when a template shows it', () => {
    const body = render('errors/problem.njk', { heading: '<img src=x onerror=alert(1)>', message: '"><script>alert(1)</script>' });
    expect(body).not.toContain('<img src=x');
    expect(body).not.toContain('<script>alert(1)');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('draws a council header with no crown, no GOV.UK logotype and no GOV.UK copyright', () => {
    const body = render('report/accessibility.njk');
    expect(body).toContain('govuk-generic-header');
    expect(body).toContain('Anytown District Council');
    expect(body).toContain('Report anti-social behaviour');
    expect(body).not.toMatch(/govuk-logo|govuk-header__logotype|Crown copyright|govuk-footer__crown|GOV\.UK/);
    expect(body).toContain(`href="${asset('app.css')}"`);
    expect(body).toContain(`src="${asset('app.js')}"`);
  });

  it('adds the upload origin to form-action when a page has a form posting elsewhere', () => {
    const csp = page('report/accessibility.njk', {}, { formActions: ['https://bucket.s3.eu-west-2.amazonaws.com'] }).headers?.['content-security-policy'];
    expect(csp).toContain("form-action 'self' https://bucket.s3.eu-west-2.amazonaws.com");
  });

  it('refuses an asset that was never built', () => {
    expect(() => asset('missing.css')).toThrow(/no asset missing.css/);
  });
});

describe('unit: form errors (GOV.UK error summary and inline errors)', () => {
  const fields = { category: 'category', description: 'description', location: 'location-postcode', 'location.postcode': 'location-postcode', contact: 'contact-email' };

  it('lists errors in the order the form asks, one per field, as sentences', () => {
    const errors = formErrors(
      [
        { path: 'location.postcode', message: 'enter a real postcode, like LE13 1GH' },
        { path: 'category', message: 'select what happened' },
        { path: 'category', message: 'a second problem with the same field' },
      ],
      fields,
    );
    expect(errors.summary).toEqual([
      { text: 'Select what happened', href: '#category' },
      { text: 'Enter a real postcode, like LE13 1GH', href: '#location-postcode' },
    ]);
    expect(errors.fields).toEqual({ category: { text: 'Select what happened' }, 'location.postcode': { text: 'Enter a real postcode, like LE13 1GH' } });
  });

  it('places a detail on the longest field that is a prefix of its path', () => {
    const errors = formErrors([{ path: 'contact.email', message: 'give an email' }], fields);
    expect(errors.fields).toEqual({ contact: { text: 'Give an email' } });
  });

  it('lists a detail with no field without an inline message, or on the fallback field', () => {
    expect(formErrors([{ path: '(body)', message: 'not an object' }], fields).summary).toEqual([{ text: 'Not an object', href: '#main-content' }]);
    expect(formErrors([{ path: '(body)', message: 'not an object' }], fields, 'description').fields).toEqual({ description: { text: 'Not an object' } });
  });

  it('capitalises only the first letter', () => {
    expect(sentence('enter a postcode, like LE13 1GH')).toBe('Enter a postcode, like LE13 1GH');
    expect(sentence('')).toBe('');
  });
});
