import type { ErrorPage, Problem } from '#shared/http';
import { sentence as capitalised } from './forms.ts';
import './generated/templates/shared.js'; // errors/problem.njk and the layout
import { page } from './render.ts';

/** Where a person goes to sign in (`returnTo` brings them back). */
const signInHref = (next: string) => {
  const path = process.env.SC_SIGN_IN_PATH;
  return path ? `${path}?returnTo=${encodeURIComponent(next)}` : undefined;
};

const roleNames: Record<string, string> = {
  officer: 'Safer Communities officer',
  tenancy: 'Tenancy Services officer',
  finance: 'Finance',
  partner: 'Partner agency',
  admin: 'Administrator',
};

const defaultHeadings: Record<number, string> = {
  400: 'There is a problem',
  401: 'Sign in to see this page',
  403: 'You cannot see this page',
  404: 'Page not found',
  409: 'This has changed since you opened it',
  413: 'What you sent is too long',
  415: 'There is a problem',
  422: 'There is a problem',
  429: 'Too many requests',
};

/** The message as a sentence: capital first letter, full stop at the end. */
const sentence = (text: string) => {
  const capital = capitalised(text.trim());
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export interface ErrorPageContext {
  /** The service the page belongs to (its name and home in the header). */
  readonly service?: { name: string; url: string };
  readonly navigation?: readonly { href: string; text: string; active?: boolean }[];
  /** Where to go from here. */
  readonly links?: readonly { href: string; text: string }[];
  /** Headings for this service's own wording (e.g. "There is a problem with the form"). */
  readonly headings?: Readonly<Record<number, string>>;
  /** What to tell a person when the fault is ours (5xx): what to do instead. */
  readonly serverError?: string;
}

/**
 * The one way a page answers an error: a page in the house style that says what is wrong and
 * what to do. 401 sends the person to sign in, 403 names the roles needed, 404 is "Page not
 * found"; a 5xx never shows its cause.
 */
export function errorPageFor(context: ErrorPageContext = {}): ErrorPage {
  return (problem: Problem) => {
    // A refused cross-site or stale form (shared/csrf.ts) is a 403 too, but not about roles.
    const forgery = problem.code === 'csrf';
    const heading = forgery
      ? 'This form could not be sent'
      : (context.headings?.[problem.status] ?? defaultHeadings[problem.status] ?? 'Sorry, there is a problem with the service');
    const message =
      problem.status === 401
        ? 'You need to sign in with your council account to see this page.'
        : problem.status === 403 && !forgery
          ? 'You are signed in, but your account does not have the role this page needs.'
          : problem.status >= 500 && context.serverError
            ? context.serverError
            : sentence(problem.message);
    return page(
      'errors/problem.njk',
      {
        ...(context.service ? { service: context.service } : {}),
        ...(context.navigation ? { navigation: context.navigation } : {}),
        heading,
        message,
        links: context.links ?? [],
        ...(problem.status === 401 && signInHref(problem.path) ? { signIn: { href: signInHref(problem.path) } } : {}),
        ...(problem.status === 403 && !forgery ? { needs: (problem.needs ?? []).map((r) => roleNames[r] ?? r) } : {}),
      },
      { status: problem.status },
    );
  };
}
