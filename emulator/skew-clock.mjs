// Preload for a Node.js process whose wall clock is wrong: `node --import ./emulator/skew-clock.mjs …` with
// EMULATOR_CLOCK_SKEW_MS=<ms> (negative = behind). Date.now() and `new Date()` (and so the AWS SDK's X-Amz-Date) read
// the host clock plus that offset; timers and performance.now() are unchanged. This is a machine with a skewed clock,
// seen from inside: the emulator answers it as AWS would (403 "Signature expired", then the SDK corrects and retries).
const skew = Number(process.env.EMULATOR_CLOCK_SKEW_MS ?? '0');

if (Number.isFinite(skew) && skew !== 0) {
  const RealDate = Date;
  const now = () => RealDate.now() + skew;
  function SkewedDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length > 0 ? args : [now()], new.target);
  }
  SkewedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(SkewedDate, RealDate);
  SkewedDate.now = now;
  globalThis.Date = SkewedDate;
}
