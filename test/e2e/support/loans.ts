import { startTestApp, TestApp } from '@testing/test-app';

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Seed 001's token endpoint (the loans clients' login). */
export async function token(t: TestApp, username: string, password: string): Promise<string> {
  const res = await t.http.post('/api/auth/token/').send({ username, password });
  expect(res.status).toBe(200);
  expect(res.body.access).toEqual(expect.any(String));
  return res.body.access;
}

/** An app whose seeders have run (dev users, then the demo loan), with seed 001 tokens for admin and client1. */
export async function startLoansApp(): Promise<{ t: TestApp; admin: string; client: string }> {
  const t = await startTestApp();
  await t.adminToken(); // runs the seeders: dev users, then the demo loan
  return { t, admin: await token(t, 'admin', 'admin1234'), client: await token(t, 'client1', 'client1234') };
}
