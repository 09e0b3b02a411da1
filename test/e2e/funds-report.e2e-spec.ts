import { startTestApp, TestApp } from '@testing/test-app';

/**
 * Seed 004 SQL part 2, answered by hand from the migration's data
 * (avail = branches offering the product; visits = branches the client visits):
 *   P1 {S1}  P2 {S1,S2,S3}  P3 {S2,S3}  P4 {S4}  P5 {} (offered nowhere)
 *   Ana Gómez      visits {S1}        holds P1       exclusive: {S1} in {S1} yes        coverage: {S1} in {S1} yes
 *   Bruno Díaz     visits {S1}        holds P2       exclusive: S2,S3 not visited: no   coverage: {S1} in P2's {S1,S2,S3} yes
 *   Carla Ruiz     visits {S2,S3,S4}  holds P3       exclusive: {S2,S3} visited: yes    coverage: S4 lacks P3: no
 *   Diego Mora     visits {S1,S2}     holds P3, P4   P3: S3 unvisited / S1 lacks it; P4: S4 unvisited / S1 lacks it: no, no
 *   Elena Vargas   visits nothing     holds P1       exclusive: S1 unvisited: no        coverage: no visits: no
 *   Fabio Castro   visits {S1,S2,S3}  holds P1, P2   yes (both products qualify, listed once), yes
 *   Gina López     visits {S3}        holds P5       exclusive: P5 offered nowhere: no  coverage: S3 lacks P5: no
 *   Hugo Pérez     visits {S4}        holds nothing  no, no
 * Ordered by apellidos: Castro, Díaz, Gómez, Ruiz.
 */
describe('funds: seed 004 SQL part 2 report', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers both readings for an admin (exclusive by default)', async () => {
    const admin = await t.adminToken();
    const get = (q: string) => t.http.get(`/api/v1/reports/exclusive-product-clients${q}`).set('Authorization', `Bearer ${admin}`);

    const exclusive = await get('?mode=exclusive');
    expect(exclusive.status).toBe(200);
    expect(exclusive.body.mode).toBe('exclusive');
    expect(exclusive.body.names).toEqual(['Fabio Castro', 'Ana Gómez', 'Carla Ruiz']);
    expect(exclusive.body.clients).toEqual([
      { id: 6, nombre: 'Fabio', apellidos: 'Castro' },
      { id: 1, nombre: 'Ana', apellidos: 'Gómez' },
      { id: 3, nombre: 'Carla', apellidos: 'Ruiz' },
    ]);

    const coverage = await get('?mode=coverage');
    expect(coverage.status).toBe(200);
    expect(coverage.body.names).toEqual(['Fabio Castro', 'Bruno Díaz', 'Ana Gómez']);

    expect((await get('')).body.names).toEqual(exclusive.body.names);
    const bad = await get('?mode=both');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('mode');
  });

  it('is for admins only', async () => {
    const { token } = await t.register();
    const res = await t.http.get('/api/v1/reports/exclusive-product-clients').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
  });

  it('has the six tables with their foreign keys in schema btg', async () => {
    const tables = await t.dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'btg' ORDER BY 1`);
    expect(tables.map((r: { table_name: string }) => r.table_name)).toEqual([
      'cliente',
      'disponibilidad',
      'inscripcion',
      'producto',
      'sucursal',
      'visitan',
    ]);
    const [fk] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.table_constraints WHERE table_schema = 'btg' AND constraint_type = 'FOREIGN KEY'`,
    );
    expect(fk.n).toBe(6);
    await expect(t.dataSource.query('INSERT INTO btg.inscripcion (id_producto, id_cliente) VALUES (1, 999)')).rejects.toThrow();
  });
});
