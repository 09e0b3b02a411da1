import { bashBlocks, errorBody, runBlocks } from '../../scripts/docs-check';

describe('docs:check', () => {
  const readme = [
    '# Title',
    '```sh',
    'npm start',
    '```',
    '## Flow',
    '```bash',
    'X=1',
    '```',
    '```text',
    'not run',
    '```',
    '### Next',
    '```bash',
    'echo "$X"',
    '```',
  ].join('\n');

  it('takes only the ```bash blocks, with their line and heading', () => {
    expect(bashBlocks(readme)).toEqual([
      { line: 6, heading: 'Flow', code: 'X=1' },
      { line: 13, heading: 'Next', code: 'echo "$X"' },
    ]);
  });

  it('sees the API error JSON, not a success', () => {
    expect(errorBody('{"id":1}{"statusCode":409,"error":"Conflict"}')).toMatch(/^"statusCode":409/);
    expect(errorBody('{\n  "statusCode": 502,\n  "message": "x"\n}')).toBeDefined();
    expect(errorBody('{"statusCode":200,"status_code":500}')).toBeUndefined();
  });

  it('runs the blocks in one session: variables carry over, an error body fails its block, a non-zero exit stops the rest', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const block = (code: string) => ({ line: 1, heading: 'h', code });
    const outcomes = await runBlocks(
      [
        block('X=carried'),
        block('test "$X" = carried && echo ok'),
        block('echo \'{"statusCode":400,"message":"bad"}\''),
        block('false'),
        block('echo never'),
      ],
      process.env,
    );
    log.mockRestore();
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, false]);
    expect(outcomes[2].why).toMatch(/^error body/);
    expect(outcomes[3].why).toBe('exit status 1');
  }, 30_000);
});
