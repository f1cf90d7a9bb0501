/**
 * Index names, whether a separate sort ran and whether a table was scanned whole, from MongoDB's or DocumentDB's
 * (PostgreSQL) explain output.
 */
export function planOf(explain: unknown): { indexes: string[]; sortStage: boolean; collScan: boolean } {
  const indexes = new Set<string>();
  let sortStage = false;
  let collScan = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.stage === 'IXSCAN' && typeof n.indexName === 'string') indexes.add(n.indexName);
    if (n.stage === 'COLLSCAN' || n['Node Type'] === 'Seq Scan') collScan = true;
    if (n.stage === 'SORT') sortStage = true;
    if (typeof n['Index Name'] === 'string') indexes.add(n['Index Name']);
    if (n['Node Type'] === 'Sort') sortStage = true;
    Object.values(n).forEach(walk);
  };
  walk(explain);
  return { indexes: [...indexes], sortStage, collScan };
}
