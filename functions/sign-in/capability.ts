import { declareCapability, declareFunction } from '#shared/wiring';

/**
 * Staff sign-in with OpenID Connect (authorization code with PKCE): the provider is a Cognito
 * user pool on AWS, or any OIDC provider given by CDK context; `npm start` runs a local one.
 * Public routes: they are how a person gets a session in the first place.
 */
export const signIn = declareFunction({
  name: 'StaffSignIn',
  entry: 'functions/sign-in/handler.ts',
  description: 'Staff sign-in: sends a browser to the identity provider (state, nonce, PKCE), checks the ID token it comes back with, sets the session cookie; and sign-out, here and at the provider',
  routes: [
    { method: 'GET', path: '/sign-in', auth: 'public', page: true },
    { method: 'GET', path: '/sign-in/callback', auth: 'public', page: true },
    { method: 'POST', path: '/sign-out', auth: 'public', page: true },
    { method: 'GET', path: '/signed-out', auth: 'public', page: true },
  ],
  memoryMb: 256,
});

export const staffSignIn = declareCapability('sign-in', [signIn]);
