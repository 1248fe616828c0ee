import { landTypeLabels, sizeLabels, wasteTypeLabels } from '#events/fly-tipping';
import { categoryLabels, type Category } from '#events/intake';
import type { ErrorDetail } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import { londonDateTimeText } from '#shared/london-time';
import { formErrors, noErrors, type FormErrors } from '../../web/forms.ts';
import { errorPageFor } from '../../web/error-page.ts';
import { page } from '../../web/render.ts';
import '../../web/generated/templates/report.js'; // the report/ templates this module renders
import { rateLimitedForm } from '../../web/rate-limited.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_ACCEPT, type Photo } from './photo-records.ts';
import type { PresignedPost } from './presigned-post.ts';
import { caseReviewRight } from './receive.ts';
import { retention } from '#shared/retention';
import { hateQuestionApplies, roughPeriods, type FormFields } from './report-input.ts';
import { SUBMISSION_HOURS, type Submission } from './submissions.ts';

const groups = [
  { id: 'category', prefix: 'asb.', heading: 'Anti-social behaviour' },
  { id: 'category-enviro', prefix: 'enviro.', heading: 'Environmental problems' },
  { id: 'category-retail', prefix: 'retail.', heading: 'In a shop or business' },
  { id: 'category-other', prefix: 'other.', heading: 'Something else' },
] as const;

/** The category radios in their groups, labels from the event catalog. */
export const categoryGroups = () =>
  groups.map((g) => ({
    id: g.id,
    heading: g.heading,
    items: (Object.entries(categoryLabels) as [Category, string][]).filter(([code]) => code.startsWith(g.prefix)).map(([value, text]) => ({ value, text })),
  }));

/** WasteDataFlow's categories in the reporter's words where they differ (events/fly-tipping.ts has the rest). */
const publicWording: Record<string, string> = {
  highway: 'Road, pavement or lay-by',
  'footpath-bridleway': 'Footpath or bridleway',
  agricultural: 'Farmland',
  'private-residential': 'Private land or a garden',
  'watercourse-bank': 'River, stream or its bank',
  green: 'Garden waste',
  'white-goods': 'Fridge, freezer, washing machine or cooker',
  'construction-demolition-excavation': 'Building rubble, soil or plasterboard',
  'black-bags-commercial': 'Black bags from a business',
  'black-bags-household': 'Black bags from a home',
  'other-household': 'Other household items, like furniture or mattresses',
  'other-commercial': 'Other business waste',
};
const flyTipItems = (labels: Record<string, string>) => [
  ...Object.entries(labels).map(([value, text]) => ({ value, text: value === 'other' ? 'Something else' : (publicWording[value] ?? text) })),
  { divider: 'or' },
  { value: 'dont-know', text: 'I don’t know' },
];

/** The optional fly-tipping questions: where, what and how much, as Defra's WasteDataFlow counts them. */
export const flyTipQuestions = () => ({ landType: flyTipItems(landTypeLabels), wasteType: flyTipItems(wasteTypeLabels), size: flyTipItems(sizeLabels) });

/** The form's fields in page order: error key → id of the element the summary links to. */
const formFields = {
  category: 'category',
  description: 'description',
  when: 'when-day',
  'when-time': 'when-time',
  'when-rough': 'when-rough',
  location: 'location-postcode',
  'location.postcode': 'location-postcode',
  'location.text': 'location-text',
  'location.lat': 'location-lat',
  'location.lng': 'location-lng',
  hateMotivated: 'hateMotivated',
  consentToContact: 'consentToContact',
  'contact.name': 'contact-name',
  'contact.email': 'contact-email',
  'contact.phone': 'contact-phone',
  contact: 'contact-email',
  'flyTip.landType': 'flyTip-landType',
  'flyTip.wasteType': 'flyTip-wasteType',
  'flyTip.size': 'flyTip-size',
} as const;

/** The schema names the time `occurredAt`; the form asks for it as a date and a time. */
const toFormPath = (path: string) => (path === 'occurredAt' ? 'when' : path);
/** The schema's words for a missing place name the JSON fields; the form has its own. */
const formMessage = (d: ErrorDetail) => (d.path === 'location' ? 'enter a postcode, describe the place, or give a point on a map' : d.message);

export function reportFormErrors(details: readonly ErrorDetail[]): { errors: FormErrors; dateParts: Record<string, boolean> } {
  const paths = details.map((d) => ({ path: toFormPath(d.path), message: formMessage(d) }));
  const errors = formErrors(paths, formFields, 'description');
  const dateDetail = paths.find((d) => d.path === 'when' || d.path.startsWith('when.'));
  const part = dateDetail?.path.split('.')[1];
  const dateParts = { day: !!dateDetail && (!part || part === 'day'), month: !!dateDetail && (!part || part === 'month'), year: !!dateDetail && (!part || part === 'year') };
  if (part) errors.summary = errors.summary.map((s) => (s.href === '#when-day' ? { ...s, href: `#when-${part}` } : s));
  return { errors, dateParts };
}

/** Form values to show back: strings only (a crafted post may repeat a field or send odd types). */
function shownValues(fields: FormFields): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([k, v]) => {
      const value = Array.isArray(v) ? v[0] : v;
      return typeof value === 'string' && k !== 'website' ? [[k, value]] : [];
    }),
  );
}

/** The categories the hate question is asked for (the page's script hides it for the rest). */
const hateCategories = () => (Object.keys(categoryLabels) as Category[]).filter((c) => hateQuestionApplies(c));

export interface FormPageOptions {
  /** The connection sent too many reports: when it may try again (also sent as Retry-After), and the phone number. */
  rateLimitedSeconds?: number;
}

export function formPage(fields: FormFields = {}, details: readonly ErrorDetail[] = [], options: FormPageOptions = {}): HttpResult {
  const { errors, dateParts } = details.length ? reportFormErrors(details) : { errors: noErrors, dateParts: {} };
  const limited = options.rateLimitedSeconds === undefined ? undefined : rateLimitedForm('report', options.rateLimitedSeconds);
  return page(
    'report/form.njk',
    {
      values: shownValues(fields),
      errors,
      dateParts,
      categoryGroups: categoryGroups(),
      flyTip: flyTipQuestions(),
      roughPeriods: Object.entries(roughPeriods).map(([value, p]) => ({ value, text: p.text })),
      hateCategories: hateCategories().join(' '),
      photos: { max: String(MAX_PHOTOS), maxBytes: String(MAX_PHOTO_BYTES), accept: PHOTO_ACCEPT },
      ...(limited ? { rateLimited: limited.view } : {}),
    },
    limited ? limited.response : { status: details.length ? 422 : 200 },
  );
}

function placeText(location: Submission['report']['location']): string {
  const parts = [location.postcode, location.text, location.lat !== undefined && location.lng !== undefined ? `map point ${location.lat}, ${location.lng}` : undefined];
  return parts.filter((p) => p !== undefined).join('; ');
}

/** The report as the person sent it, for govukSummaryList: every value as `text`, so it is escaped. */
export function summaryRows(report: Submission['report']) {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  return [
    row('What happened', categoryLabels[report.category]),
    row('Description', report.description),
    row('When', report.whenText ?? londonDateTimeText(report.occurredAt)),
    row('Where', placeText(report.location)),
    ...(hateQuestionApplies(report.category) ? [row('Because of hostility to who someone is', report.hateMotivated ? 'Yes' : 'No')] : []),
    row('Contact', report.contactGiven ? 'You gave contact details and agreed to be contacted' : 'You chose to stay anonymous'),
  ];
}

export interface ConfirmationView {
  submission: Submission;
  photos: readonly Photo[];
  /** The form for the next photo, while there is room and time. */
  upload?: PresignedPost;
  photoError?: string;
}

export function confirmationPage(view: ConfirmationView): HttpResult {
  const errors = view.photoError ? formErrors([{ path: 'photo', message: view.photoError }], { photo: 'photo' }) : noErrors;
  const describe = (p: Photo) => `${p.contentType === 'image/jpeg' ? 'JPG' : p.contentType === 'image/png' ? 'PNG' : 'HEIC'}, ${Math.max(1, Math.round(p.bytes / 1024))} KB`;
  return page(
    'report/confirmation.njk',
    {
      reference: view.submission.reference,
      statusHref: `/status/${view.submission.reference}`,
      contactGiven: view.submission.report.contactGiven,
      ...(view.submission.caseReviewNotice ? { caseReview: caseReviewRight } : {}),
      summaryRows: summaryRows(view.submission.report),
      photos: view.photos.map((p) => ({ n: p.n, description: describe(p) })),
      maxPhotos: MAX_PHOTOS,
      upload: view.upload ? { ...view.upload, maxBytes: String(MAX_PHOTO_BYTES), accept: PHOTO_ACCEPT } : undefined,
      errors,
    },
    { status: view.photoError ? 422 : 200, formActions: view.upload ? [new URL(view.upload.url).origin] : [] },
  );
}

/** The public pages' one error page: what went wrong, what to do, and the way back to the form. */
export const reportErrorPage = errorPageFor({
  links: [{ href: '/', text: 'Go back to the report form' }],
  headings: {
    400: 'There is a problem with the form',
    413: 'Your report is too long',
    415: 'There is a problem with the form',
    422: 'There is a problem with the form',
    429: 'Too many reports sent',
  },
  serverError: 'Your report could not be sent because of a problem on our side. Try again later, or telephone the council.',
});

/** A page saying what went wrong and what to do, for a problem a handler finds itself. */
export const problemPage = (status: number, message: string): HttpResult => reportErrorPage({ status, code: 'problem', message, path: '/' });

export const accessibilityPage = () => page('report/accessibility.njk');

/** The privacy notice: what the service keeps, why, for how long (retention.ts), and people's rights. */
export const privacyPage = () =>
  page('report/privacy.njk', {
    years: {
      contact: Math.round(retention.reporterContactDays / 366),
      report: Math.round(retention.reportDays / 366),
      photos: Math.round(retention.intakeDays / 366),
      archive: Math.round(retention.archiveDays / 366),
    },
    unacceptedUploadDays: retention.unacceptedUploadDays,
    confirmationHours: SUBMISSION_HOURS,
  });
