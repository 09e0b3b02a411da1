import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ApiError } from '../api/client';
import { ErrorNotice, Field } from './ui';

afterEach(cleanup);

describe('ErrorNotice', () => {
  it("shows the API's message and field errors", () => {
    render(
      <ErrorNotice
        error={
          new ApiError(400, 'Validation failed: amount', 'validation_failed', undefined, [
            { field: 'amount', messages: ['amount must be a number'] },
          ])
        }
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Validation failed: amount');
    expect(alert.textContent).toContain('amount: amount must be a number');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull(); // a 400 is not fixed by retrying
  });

  it('a 429 shows Retry-After and offers Retry', () => {
    const retry = vi.fn();
    render(<ErrorNotice error={new ApiError(429, 'Too many requests', 'too_many', 42)} onRetry={retry} />);
    expect(screen.getByRole('alert').textContent).toContain('Too many requests: retry after 42 s.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('unreachable and 5xx offer Retry; nothing renders without an error', () => {
    const { rerender, container } = render(<ErrorNotice error={undefined} onRetry={() => undefined} />);
    expect(container.textContent).toBe('');
    rerender(<ErrorNotice error={new ApiError(0, 'The API is unreachable')} onRetry={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    rerender(<ErrorNotice error={new ApiError(503, 'Service Unavailable')} onRetry={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});

describe('Field', () => {
  it('ties a visible label and its hint to the input', () => {
    render(<Field label="Amount (COP)" hint="Whole pesos" defaultValue="" />);
    const input = screen.getByLabelText('Amount (COP)');
    expect(input.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(input.getAttribute('aria-describedby')!)!.textContent).toBe('Whole pesos');
  });
});
