import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@platform/persistence/transaction-host';
import { ExclusiveProductReport, ReportClient, ReportMode } from '../../domain/funds.ports';

/**
 * Seed 004 part 2: "names of the clients holding some product available ONLY at
 * the branches they visit". Two readings:
 * - exclusive: every branch offering the product is one the client visits
 *   (and the product is offered somewhere: no vacuous truth);
 * - coverage: the product is offered at every branch the client visits
 *   (and the client visits at least one).
 */
export const REPORT_SQL: Record<ReportMode, string> = {
  exclusive: `
    SELECT c.id, c.nombre, c.apellidos
    FROM btg.cliente c
    WHERE EXISTS (
      SELECT 1 FROM btg.inscripcion i
      WHERE i.id_cliente = c.id
        AND EXISTS (SELECT 1 FROM btg.disponibilidad d WHERE d.id_producto = i.id_producto)
        AND NOT EXISTS (
          SELECT 1 FROM btg.disponibilidad d
          WHERE d.id_producto = i.id_producto
            AND NOT EXISTS (SELECT 1 FROM btg.visitan v WHERE v.id_cliente = c.id AND v.id_sucursal = d.id_sucursal)))
    ORDER BY c.apellidos, c.nombre, c.id`,
  coverage: `
    SELECT c.id, c.nombre, c.apellidos
    FROM btg.cliente c
    WHERE EXISTS (SELECT 1 FROM btg.visitan v WHERE v.id_cliente = c.id)
      AND EXISTS (
        SELECT 1 FROM btg.inscripcion i
        WHERE i.id_cliente = c.id
          AND NOT EXISTS (
            SELECT 1 FROM btg.visitan v
            WHERE v.id_cliente = c.id
              AND NOT EXISTS (SELECT 1 FROM btg.disponibilidad d WHERE d.id_producto = i.id_producto AND d.id_sucursal = v.id_sucursal)))
    ORDER BY c.apellidos, c.nombre, c.id`,
};

@Injectable()
export class TypeormExclusiveProductReport extends ExclusiveProductReport {
  constructor(private readonly txHost: TransactionHost) {
    super();
  }

  async clients(mode: ReportMode): Promise<ReportClient[]> {
    const rows: { id: number; nombre: string; apellidos: string }[] = await this.txHost.tx.query(REPORT_SQL[mode]);
    return rows.map((r) => ({ id: Number(r.id), nombre: r.nombre, apellidos: r.apellidos }));
  }
}
