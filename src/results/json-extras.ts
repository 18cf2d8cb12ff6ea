/**
 * Reading results.json: the optional fields of costs, failed inits and causes (runtime version, package, layers). Files
 * written before them have none of these and read as before. PURE.
 */
type Json = unknown;

/** The validators of json.ts (each throws a message naming the path). */
export interface Checks {
  obj(v: Json, path: string): Record<string, Json>;
  arr(v: Json, path: string): Json[];
  str(v: Json, path: string): string;
  numb(v: Json, path: string, opts?: { int?: boolean; min?: number }): number;
  numOrNull(v: Json, path: string): number | null;
}

/** FunctionInfo's codeSize, layers and runtimeVersionArn. */
export function checkFunctionCauses(f: Record<string, Json>, p: string, c: Checks): void {
  if (f.codeSize !== undefined) c.numb(f.codeSize, `${p}.codeSize`, { int: true, min: 0 });
  if (f.runtimeVersionArn !== undefined) c.str(f.runtimeVersionArn, `${p}.runtimeVersionArn`);
  if (f.layers !== undefined) {
    c.arr(f.layers, `${p}.layers`).forEach((lv, i) => {
      const l = c.obj(lv, `${p}.layers[${i}]`);
      c.str(l.arn, `${p}.layers[${i}].arn`);
      c.numb(l.codeSize, `${p}.layers[${i}].codeSize`, { int: true, min: 0 });
    });
  }
}

/** A sample's initStatus, initErrorType, runtimeVersion and runtimeVersionArn. */
export function checkSampleExtras(s: Record<string, Json>, p: string, c: Checks): void {
  for (const k of ['initStatus', 'initErrorType', 'runtimeVersion', 'runtimeVersionArn']) if (s[k] !== undefined) c.str(s[k], `${p}.${k}`);
}

function checkRunCost(v: Json, p: string, c: Checks): void {
  const r = c.obj(v, p);
  c.numb(r.usd, `${p}.usd`, { min: 0 });
  c.numb(r.invokes, `${p}.invokes`, { int: true, min: 0 });
  c.arr(r.unpriced, `${p}.unpriced`).forEach((uv, i) => {
    const u = c.obj(uv, `${p}.unpriced[${i}]`);
    c.str(u.function, `${p}.unpriced[${i}].function`);
    c.numb(u.invokes, `${p}.unpriced[${i}].invokes`, { int: true, min: 1 });
    c.str(u.reason, `${p}.unpriced[${i}].reason`);
  });
}

/** statistics[].cost and the top-level cost. */
export function checkCostFields(r: Record<string, Json>, c: Checks): void {
  c.arr(r.statistics, 'statistics').forEach((sv, i) => {
    const st = c.obj(sv, `statistics[${i}]`);
    if (st.cost === undefined) return;
    const p = `statistics[${i}].cost`;
    const k = c.obj(st.cost, p);
    c.numb(k.n, `${p}.n`, { int: true, min: 1 });
    for (const f of ['medianUsd', 'usdPerMillion', 'usdPerGbSecond', 'usdPerMillionRequests']) c.numb(k[f], `${p}.${f}`, { min: 0 });
    c.numOrNull(k.p90Usd, `${p}.p90Usd`);
  });
  if (r.cost === undefined) return;
  const cost = c.obj(r.cost, 'cost');
  const prices = c.obj(cost.prices, 'cost.prices');
  c.str(prices.asOf, 'cost.prices.asOf');
  c.arr(cost.noPrice, 'cost.noPrice').forEach((nv, i) => {
    const n = c.obj(nv, `cost.noPrice[${i}]`);
    c.str(n.function, `cost.noPrice[${i}].function`);
    c.str(n.reason, `cost.noPrice[${i}].reason`);
  });
  checkRunCost(cost.run, 'cost.run', c);
  if (cost.estimate !== undefined) {
    checkRunCost(cost.estimate, 'cost.estimate', c);
    c.str(c.obj(cost.estimate, 'cost.estimate').assumes, 'cost.estimate.assumes');
  }
}
