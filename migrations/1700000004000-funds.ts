import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funds context (seed 004): the fund catalogue, one account (balance) per
 * user, subscriptions, notification status; and the seed's SQL part 2 as schema
 * `btg` with data built so its two readings of the query give different answers.
 */
export class Funds1700000004000 implements MigrationInterface {
  name = 'Funds1700000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE funds (
        id int PRIMARY KEY CHECK (id > 0),
        name varchar(100) NOT NULL UNIQUE,
        min_amount numeric(20, 2) NOT NULL CHECK (min_amount > 0),
        category varchar(8) NOT NULL CHECK (category IN ('FPV', 'FIC')),
        currency char(3) NOT NULL DEFAULT 'COP'
      )`);
    await q.query(`
      INSERT INTO funds (id, name, min_amount, category) VALUES
        (1, 'FPV_BTG_PACTUAL_RECAUDADORA', 75000, 'FPV'),
        (2, 'FPV_BTG_PACTUAL_ECOPETROL', 125000, 'FPV'),
        (3, 'DEUDAPRIVADA', 50000, 'FIC'),
        (4, 'FDO-ACCIONES', 250000, 'FIC'),
        (5, 'FPV_BTG_PACTUAL_DINAMICA', 100000, 'FPV')`);

    // The CHECK is the last line of defence: the balance can never go negative.
    // tx_seq orders the user's history strictly (timestamps can tie).
    await q.query(`
      CREATE TABLE fund_accounts (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        balance numeric(20, 2) NOT NULL CHECK (balance >= 0),
        currency char(3) NOT NULL,
        tx_seq bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);

    // id = the subscription transaction's id (what the client cancels with).
    await q.query(`
      CREATE TABLE fund_subscriptions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES fund_accounts (user_id) ON DELETE CASCADE,
        fund_id int NOT NULL REFERENCES funds (id),
        amount numeric(20, 2) NOT NULL CHECK (amount > 0),
        status varchar(12) NOT NULL CHECK (status IN ('ACTIVE', 'CANCELLED')),
        created_at timestamptz NOT NULL,
        cancelled_at timestamptz,
        cancel_transaction_id uuid
      )`);
    await q.query(`CREATE UNIQUE INDEX fund_subscriptions_one_active ON fund_subscriptions (user_id, fund_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX fund_subscriptions_user ON fund_subscriptions (user_id, status)`);

    // Delivery status of the subscription notice (destination stored masked only).
    await q.query(`
      CREATE TABLE fund_notifications (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        transaction_id uuid NOT NULL,
        channel varchar(8),
        destination_masked varchar(64),
        status varchar(12) NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        attempts int NOT NULL DEFAULT 0,
        adapter varchar(32),
        last_error varchar(500),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX fund_notifications_tx ON fund_notifications (transaction_id)`);
    await q.query(`CREATE INDEX fund_notifications_pending ON fund_notifications (status, created_at) WHERE status = 'pending'`);

    // History is paged by the per-user sequence (JSONB document adapter).
    await q.query(`CREATE INDEX doc_fund_tx_user_seq ON doc_fund_transactions ((doc->>'user_id'), (doc->'seq'))`);

    await this.btgUp(q);
  }

  /**
   * Seed 004, SQL part 2. Hand-checkable data (avail = branches offering the
   * product, visits = branches the client visits):
   *   P1 {S1}, P2 {S1,S2,S3}, P3 {S2,S3}, P4 {S4}, P5 {} (offered nowhere)
   *   Ana    visits {S1}        holds P1      exclusive yes ({S1}<={S1})        coverage yes
   *   Bruno  visits {S1}        holds P2      exclusive no                      coverage yes ({S1}<={S1,S2,S3})
   *   Carla  visits {S2,S3,S4}  holds P3      exclusive yes ({S2,S3}<=visits)   coverage no (S4 lacks P3)
   *   Diego  visits {S1,S2}     holds P3, P4  no / no
   *   Elena  visits {}          holds P1      no / no (coverage needs a visit)
   *   Fabio  visits {S1,S2,S3}  holds P1, P2  yes / yes (listed once)
   *   Gina   visits {S3}        holds P5      no (P5 offered nowhere) / no
   *   Hugo   visits {S4}        holds nothing no / no
   * => exclusive: Ana, Carla, Fabio; coverage: Ana, Bruno, Fabio.
   */
  private async btgUp(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA btg`);
    await q.query(`CREATE TYPE btg.tipo_producto AS ENUM ('FPV', 'FIC')`);
    await q.query(`
      CREATE TABLE btg.cliente (
        id int PRIMARY KEY,
        nombre varchar(80) NOT NULL,
        apellidos varchar(120) NOT NULL,
        ciudad varchar(80) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE btg.sucursal (
        id int PRIMARY KEY,
        nombre varchar(120) NOT NULL UNIQUE,
        ciudad varchar(80) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE btg.producto (
        id int PRIMARY KEY,
        nombre varchar(120) NOT NULL UNIQUE,
        tipo_producto btg.tipo_producto NOT NULL
      )`);
    await q.query(`
      CREATE TABLE btg.inscripcion (
        id_producto int NOT NULL REFERENCES btg.producto (id) ON DELETE CASCADE,
        id_cliente int NOT NULL REFERENCES btg.cliente (id) ON DELETE CASCADE,
        PRIMARY KEY (id_producto, id_cliente)
      )`);
    await q.query(`
      CREATE TABLE btg.disponibilidad (
        id_sucursal int NOT NULL REFERENCES btg.sucursal (id) ON DELETE CASCADE,
        id_producto int NOT NULL REFERENCES btg.producto (id) ON DELETE CASCADE,
        PRIMARY KEY (id_sucursal, id_producto)
      )`);
    await q.query(`
      CREATE TABLE btg.visitan (
        id_sucursal int NOT NULL REFERENCES btg.sucursal (id) ON DELETE CASCADE,
        id_cliente int NOT NULL REFERENCES btg.cliente (id) ON DELETE CASCADE,
        fecha_visita date NOT NULL,
        PRIMARY KEY (id_sucursal, id_cliente, fecha_visita)
      )`);
    await q.query(`CREATE INDEX inscripcion_cliente ON btg.inscripcion (id_cliente)`);
    await q.query(`CREATE INDEX disponibilidad_producto ON btg.disponibilidad (id_producto)`);
    await q.query(`CREATE INDEX visitan_cliente ON btg.visitan (id_cliente)`);

    await q.query(`
      INSERT INTO btg.sucursal (id, nombre, ciudad) VALUES
        (1, 'S1 Bogotá Norte', 'Bogotá'), (2, 'S2 Medellín Poblado', 'Medellín'),
        (3, 'S3 Cali Granada', 'Cali'), (4, 'S4 Barranquilla Centro', 'Barranquilla')`);
    await q.query(`
      INSERT INTO btg.producto (id, nombre, tipo_producto) VALUES
        (1, 'FPV_BTG_PACTUAL_RECAUDADORA', 'FPV'), (2, 'DEUDAPRIVADA', 'FIC'),
        (3, 'FPV_BTG_PACTUAL_ECOPETROL', 'FPV'), (4, 'FDO-ACCIONES', 'FIC'),
        (5, 'FPV_BTG_PACTUAL_DINAMICA', 'FPV')`);
    await q.query(`
      INSERT INTO btg.disponibilidad (id_sucursal, id_producto) VALUES
        (1, 1), (1, 2), (2, 2), (3, 2), (2, 3), (3, 3), (4, 4)`);
    await q.query(`
      INSERT INTO btg.cliente (id, nombre, apellidos, ciudad) VALUES
        (1, 'Ana', 'Gómez', 'Bogotá'), (2, 'Bruno', 'Díaz', 'Bogotá'), (3, 'Carla', 'Ruiz', 'Cali'),
        (4, 'Diego', 'Mora', 'Medellín'), (5, 'Elena', 'Vargas', 'Bogotá'), (6, 'Fabio', 'Castro', 'Medellín'),
        (7, 'Gina', 'López', 'Cali'), (8, 'Hugo', 'Pérez', 'Barranquilla')`);
    await q.query(`
      INSERT INTO btg.inscripcion (id_producto, id_cliente) VALUES
        (1, 1), (2, 2), (3, 3), (3, 4), (4, 4), (1, 5), (1, 6), (2, 6), (5, 7)`);
    await q.query(`
      INSERT INTO btg.visitan (id_sucursal, id_cliente, fecha_visita) VALUES
        (1, 1, '2025-09-01'), (1, 1, '2025-09-08'),
        (1, 2, '2025-09-02'),
        (2, 3, '2025-09-03'), (3, 3, '2025-09-04'), (4, 3, '2025-09-05'),
        (1, 4, '2025-09-01'), (2, 4, '2025-09-06'),
        (1, 6, '2025-09-02'), (2, 6, '2025-09-03'), (3, 6, '2025-09-04'),
        (3, 7, '2025-09-05'),
        (4, 8, '2025-09-06')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS btg CASCADE`);
    await q.query(`DROP INDEX IF EXISTS doc_fund_tx_user_seq`);
    for (const t of ['fund_notifications', 'fund_subscriptions', 'fund_accounts', 'funds']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
