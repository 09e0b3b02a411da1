import { useState, type FormEvent } from 'react';
import { post, signIn, type User } from '../api/client';
import { ErrorNotice, Field } from '../components/ui';
import { useAction } from '../lib/use-resource';

/** POST /auth/register, then signs the new user in. The API's message (taken email, weak password) is shown as is. */
export function Register({ onSignedIn, onCancel }: { onSignedIn: (u: User) => void; onCancel: () => void }) {
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const user = await action.run(async () => {
      await post('/auth/register', { body: { email: email.trim(), password, username: username.trim() || undefined } });
      return signIn(email.trim(), password);
    });
    if (user) onSignedIn(user);
  };

  return (
    <form className="card" onSubmit={submit}>
      <h1 id="signin-title">Create an account</h1>
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <Field
        label="Username (optional)"
        name="username"
        autoComplete="username"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <Field
        label="New password"
        name="new-password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint="8-128 characters, not a common password"
      />
      <ErrorNotice error={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        Create account
      </button>
      <button type="button" className="link" onClick={onCancel}>
        Back to Sign in
      </button>
    </form>
  );
}
