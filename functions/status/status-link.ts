/**
 * The site's public address, for links in messages: SC_PUBLIC_URL (the deployment setting),
 * else the local gateway's address that `npm start` sets (SC_GATEWAY_URL), else none (links
 * are then relative, which a message should never need).
 */
export const publicBaseUrl = (env: NodeJS.ProcessEnv = process.env): string => (env.SC_PUBLIC_URL ?? env.SC_GATEWAY_URL ?? '').replace(/\/$/, '');
