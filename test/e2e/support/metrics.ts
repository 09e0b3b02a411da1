/** The value of one Prometheus sample line, e.g. sample(text, 'outbox_backlog') or with labels '{state="in_use"}'. */
export function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
