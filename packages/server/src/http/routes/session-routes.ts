import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LOGIN_FAILURE_LIMIT, LOGIN_WINDOW_MINUTES, SESSION_HOURS } from '../../auth/auth-service.js';
import type { Canvass } from '../../services/canvass.js';
import { SESSION_COOKIE } from '../app.js';
import { problem, schemaProblem, sendProblem } from '../problem.js';

const LoginBody = z.strictObject({ name: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

/** Browser sessions: an HttpOnly, SameSite=Strict cookie, and a CSRF token the page sends back on every write. */
export function registerSessionRoutes(api: FastifyInstance, canvass: Canvass, options: { secureCookies: boolean }): void {
  api.post<{ Body: unknown }>(
    '/session',
    {
      bodyLimit: 4 * 1024,
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      schema: {
        tags: ['session'],
        summary: `Sign in (after ${LOGIN_FAILURE_LIMIT} failures in ${LOGIN_WINDOW_MINUTES} minutes an account name is locked for the rest of the window)`,
        body: z.toJSONSchema(LoginBody, { target: 'draft-7' }),
      },
    },
    async (request, reply) => {
      const parsed = LoginBody.safeParse(request.body);
      if (!parsed.success) return sendProblem(reply, schemaProblem(parsed.error, 'sign-in request'));
      const result = await canvass.auth.login(parsed.data.name, parsed.data.password, request.ip);
      if (!result.ok) {
        if (result.error.kind === 'locked') {
          return sendProblem(
            reply.header('retry-after', String(result.error.retryAfterSeconds)),
            problem(
              429,
              'login-rate',
              'Too many failed sign-ins',
              `sign-in for this account is locked for ${result.error.retryAfterSeconds} s after ${LOGIN_FAILURE_LIMIT} failures`,
            ),
          );
        }
        return sendProblem(
          reply,
          problem(401, 'credentials', 'Sign-in failed', 'the account name or password is wrong', { field: 'password' }),
        );
      }
      const { sessionId, session } = result.value;
      reply.setCookie(SESSION_COOKIE, sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookies,
        path: '/',
        maxAge: SESSION_HOURS * 3600,
      });
      return reply
        .header('cache-control', 'no-store')
        .send({ user: publicUser(session.user), csrfToken: session.csrf, expiresAt: new Date(session.expiresAt).toISOString() });
    },
  );

  api.get('/session', { schema: { tags: ['session'], summary: 'The signed-in account and its CSRF token' } }, (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!request.user)
      return sendProblem(reply, problem(401, 'authentication', 'Not signed in', 'no valid session cookie or token was sent'));
    return reply.send({ user: publicUser(request.user), csrfToken: request.csrf ?? null });
  });

  api.delete('/session', { schema: { tags: ['session'], summary: 'Sign out' } }, async (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) await canvass.auth.logout(sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
}

const publicUser = (user: { id: string; name: string; role: string; election: string | null; division: string | null }) => ({
  id: user.id,
  name: user.name,
  role: user.role,
  election: user.election,
  division: user.division,
});
