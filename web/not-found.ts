import { NotFoundError } from '#shared/errors';
import { httpApi, type HttpRequest } from '#shared/http';
import { notFound } from './capability.ts';
import { errorPageFor } from './error-page.ts';

const errorPage = errorPageFor({ links: [{ href: '/', text: 'Go to the home page' }] });

/**
 * Whatever no route matches: a "page not found" page for a person, the JSON error for a
 * script, instead of the gateway's bare `{"message":"Not Found"}`.
 */
export const handler = httpApi(
  notFound,
  {
    $default: async ({ event }: HttpRequest) => {
      throw new NotFoundError(`there is nothing at ${event.rawPath}: check the address`);
    },
  },
  { errorPage },
);
