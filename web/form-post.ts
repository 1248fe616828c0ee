/**
 * Every form a staff page posts goes through here, so what a form needs is in one place:
 *
 * - **Same origin.** A browser says where a form came from (`Sec-Fetch-Site`, `Origin`); a post
 *   from another site is refused (403) before anything is read. The check is the one in
 *   `functions/shared/csrf.ts` (`refuseCrossSite`): for a signed-in browser the shared HTTP stack
 *   has already run it, with the session's CSRF token (the form's hidden `csrf` field, from
 *   `csrfField()`), before the handler; a caller with a bearer token (which a browser never adds
 *   to another site's form) gets the same origin check here, as defence in depth.
 * - **The fields**, URL-encoded or multipart (a file upload), as strings; files apart.
 * - **Bad input** (a 4xx with details: validation, a conflict) comes back as the same page with
 *   status 422, the GOV.UK error summary and the message on each field; nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { currentSession, refuseCrossSite } from '#shared/csrf';
import { AppError, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, type ErrorDetail } from '#shared/errors';
import { header, MAX_BODY_BYTES, type HttpRequest, type HttpResult } from '#shared/http';
import { secureCookies } from '#shared/session';
import { formErrors, type FormErrors } from './forms.ts';

export type FormFields = Readonly<Record<string, string>>;

export interface UploadedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly text: string;
}

export interface PostedForm {
  readonly fields: FormFields;
  readonly files: Readonly<Record<string, UploadedFile>>;
}

/**
 * Refuses a form posted from another site (403). A signed-in browser's form was checked, token
 * and all, by the shared HTTP stack before the handler ran (`checkCsrf`); any other caller gets
 * the same origin check, from the same function, here.
 */
export function checkFormOrigin(event: APIGatewayProxyEventV2): void {
  if (currentSession()) return;
  refuseCrossSite(event, secureCookies(event));
}

/** A fresh value for a form's hidden `formToken`: it makes a double-submitted form one fact (it becomes the Idempotency-Key). */
export const formToken = () => randomUUID();


/** The posted fields (and any files), URL-encoded or multipart. */
export async function readForm(event: APIGatewayProxyEventV2): Promise<PostedForm> {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(`what was sent is larger than ${MAX_BODY_BYTES / 1024} KB`);
  const type = header(event, 'content-type') ?? '';
  const media = type.split(';')[0]?.trim().toLowerCase();
  if (media === 'application/x-www-form-urlencoded') {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) fields[k] ??= v;
    return { fields, files: {} };
  }
  if (media === 'multipart/form-data') {
    let data: FormData;
    try {
      data = await new Request('http://form.invalid/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    } catch {
      throw new BadRequestError('the form could not be read: send it again from the page');
    }
    const fields: Record<string, string> = {};
    const files: Record<string, UploadedFile> = {};
    for (const [k, v] of data.entries()) {
      if (typeof v === 'string') fields[k] ??= v;
      else if (!(k in files)) files[k] = { name: v.name, type: v.type, size: v.size, text: await v.text() };
    }
    return { fields, files };
  }
  throw new UnsupportedMediaTypeError('send the form from the page (application/x-www-form-urlencoded or multipart/form-data)');
}

/** Bad input a person can correct on the form: a 4xx about the request itself, not about who they are or what exists. */
const correctable = (error: unknown): error is AppError =>
  error instanceof AppError && [400, 409, 413, 415, 422].includes(error.status);

export interface FormHandling {
  /** Field key → the id of its input, in page order (the error summary links there). */
  readonly fieldIds: Readonly<Record<string, string>>;
  /** Where a problem that names no field is shown. */
  readonly fallback?: string;
  /** A detail's path as the form names it (`amountPence` → `amount`). */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Does the work and answers (usually a 303 to the page that shows the result). */
  readonly act: (form: PostedForm) => Promise<HttpResult>;
  /** The page again, with what was typed and the errors. */
  readonly redisplay: (form: PostedForm, errors: FormErrors) => Promise<HttpResult>;
}

/** A form post: origin checked, fields read, the work done, or the page again with its errors (422). */
export async function handleForm(request: HttpRequest, handling: FormHandling): Promise<HttpResult> {
  checkFormOrigin(request.event);
  const form = await readForm(request.event);
  try {
    return await handling.act(form);
  } catch (error) {
    if (!correctable(error)) throw error;
    const details: ErrorDetail[] = (error.details?.length ? error.details : [{ path: handling.fallback ?? '(form)', message: error.message }]).map((d) => ({
      path: handling.aliases?.[d.path] ?? d.path,
      message: d.message,
    }));
    const page = await handling.redisplay(form, formErrors(details, handling.fieldIds, handling.fallback));
    return { ...page, statusCode: 422 };
  }
}

