import { useState, type FormEvent } from 'react';
import { signIn, type User } from '../api/client';
import { ErrorNotice, Field } from '../components/ui';
import { useAction } from '../lib/use-resource';
import { Register } from './Register';

/** Email or username + password; the One-time code field appears once the API says 2FA is on. */
export function SignIn({ onSignedIn, reason, overlay }: { onSignedIn: (u: User) => void; reason?: string; overlay?: boolean }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needsOtp, setNeedsOtp] = useState(false);
  const [registering, setRegistering] = useState(false);
  const action = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const user = await action.run(async () => {
      try {
        return await signIn(login.trim(), password, needsOtp ? otp : undefined);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'otp_required' || code === 'invalid_otp') setNeedsOtp(true);
        throw err;
      }
    });
    if (user) onSignedIn(user);
  };

  return (
    <div
      className={overlay ? 'signin overlay' : 'signin'}
      role={overlay ? 'dialog' : undefined}
      aria-modal={overlay || undefined}
      aria-labelledby="signin-title"
    >
      {registering ? (
        <Register onSignedIn={onSignedIn} onCancel={() => setRegistering(false)} />
      ) : (
        <form className="card" onSubmit={submit}>
          <h1 id="signin-title">Fintech Ops Console</h1>
          {reason && (
            <p className="notice info" role="status">
              {reason}
            </p>
          )}
          <Field
            label="Email or username"
            name="username"
            autoComplete="username"
            required
            value={login}
            onChange={(e) => setLogin(e.target.value)}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {needsOtp && (
            <Field
              label="One-time code"
              name="otp"
              inputMode="numeric"
              autoComplete="one-time-code"
              hint="6 digits from your authenticator app"
              value={otp}
              onChange={(e) => setOtp(e.target.value)}
              autoFocus
            />
          )}
          <ErrorNotice error={action.error} />
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? 'Signing in…' : 'Sign in'}
          </button>
          {!overlay && (
            <button type="button" className="link" onClick={() => setRegistering(true)}>
              Create an account
            </button>
          )}
        </form>
      )}
    </div>
  );
}
