import { signIn } from './capability.ts';
import { signInHandler } from './routes.ts';

export const handler = signInHandler(signIn);
