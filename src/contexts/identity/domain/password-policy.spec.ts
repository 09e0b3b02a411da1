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
