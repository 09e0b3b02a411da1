import { passwordProblems } from './password-policy';

describe('passwordProblems', () => {
  it('accepts the seeds example passwords', () => {
    expect(passwordProblems('Trader123!', 8)).toEqual([]);
    expect(passwordProblems('Secret123!', 8)).toEqual([]);
  });
  it('refuses short and common passwords, naming why', () => {
    expect(passwordProblems('abc', 8)).toEqual(['password must be at least 8 characters']);
    expect(passwordProblems('Password123', 8)).toEqual(['password is too common']);
    expect(passwordProblems('x'.repeat(129), 8)).toEqual(['password must be at most 128 characters']);
  });
});

import { notifyDestinationProblem } from './user';

describe('notifyDestinationProblem', () => {
  it('wants an email for email and an E.164 phone for sms', () => {
    expect(notifyDestinationProblem('email', 'u@test.com')).toBeNull();
    expect(notifyDestinationProblem('email', 'not-an-email')).toMatch(/email address/);
    expect(notifyDestinationProblem('sms', '+573001234567')).toBeNull();
    expect(notifyDestinationProblem('sms', '3001234567')).toMatch(/E\.164/);
    expect(notifyDestinationProblem('sms', undefined)).toMatch(/required/);
    expect(notifyDestinationProblem(undefined, undefined)).toBeNull();
  });
});
