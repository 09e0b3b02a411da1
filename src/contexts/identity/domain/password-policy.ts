/**
 * A short list of the passwords attackers try first (top of the public breach
 * lists). The seeds' examples (Trader123!, Secret123!) are deliberately not here.
 */
const COMMON = new Set([
  '12345678',
  '123456789',
  '1234567890',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwerty123',
  'qwertyuiop',
  '11111111',
  '00000000',
  'iloveyou',
  'abc12345',
  'abcd1234',
  'admin123',
  'admin1234',
  'welcome1',
  'welcome123',
  'letmein1',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'superman',
  'trustno1',
  '1q2w3e4r',
  '1qaz2wsx',
  'zaq12wsx',
  'qwerty12',
  'asdfghjk',
  'changeme',
  'p@ssw0rd',
  'p@ssword',
  'password!',
  'Password1',
  'Password1!',
  'Password123',
  'Password123!',
  'client1234',
]);

export function passwordProblems(password: string, minLength: number): string[] {
  const problems: string[] = [];
  if (password.length < minLength) problems.push(`password must be at least ${minLength} characters`);
  if (password.length > 128) problems.push('password must be at most 128 characters');
  if (COMMON.has(password) || COMMON.has(password.toLowerCase())) problems.push('password is too common');
  return problems;
}
