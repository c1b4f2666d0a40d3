/**
 * The band solver's conjugate gradients (`solveBandAlpha.ts`), SSOR-preconditioned with Eisenstat's trick. Each step's
 * loop is a function of its own: V8 then optimises each loop whole on a picture's first solve, where one function of
 * many loops was compiled loop by loop and fell back to the interpreter at every loop it had not yet run, for the
 * first few pictures of a session.
 */
import { applyBandLaplacian, solveLowerSweep, solveUpperSweep, type BandLaplacian, type StencilField } from './mattingLaplacian';

/** The band system A·x = b (A = L_bb + priorWeight·I) in band order; `x` holds the start and receives the answer. */
export interface BandSystem {
  rhs: Float64Array;
  /** A's diagonal: L's plus the prior weight. */
  diagonal: Float64Array;
  x: Float64Array;
}

/** Settings of {@link solveBandSystem} (see `SolveBandAlphaOptions`). */
export interface ConjugateGradientSettings {
  priorWeight: number;
  relaxation: number;
  maxIterations: number;
  tolerance: number;
}

/**
 * Solves the band system from `system.x` on. With P = D/ω + L_lower and Q = D/ω + L_upper = Pᵀ, SSOR's preconditioner
 * is M = ω/(2 − ω) · P D⁻¹ Q, and CG on Â = P⁻¹AQ⁻¹ (y = Q·x) preconditioned by D makes the same iterates as CG on A
 * preconditioned by M. As A = P + Q − (2/ω − 1)D, Â·p = t + P⁻¹(p − (2/ω − 1)D·t) with t = Q⁻¹p: one backward and one
 * forward sweep, about one stencil application per iteration instead of two (a product and the preconditioner's two
 * sweeps). x follows y through the same t: x += step·t. Stops after `maxIterations`, or once the residual's norm under
 * D falls below `tolerance` times the transformed right-hand side's (P⁻¹b).
 * @param field Picture-sized stencil field, any contents; left zero outside the band.
 * @param vector Lends a band-sized vector (any contents).
 */
export function solveBandSystem(laplacian: BandLaplacian, field: StencilField, system: BandSystem, settings: ConjugateGradientSettings, vector: () => Float64Array): void {
  const { rhs, diagonal, x } = system;
  const { relaxation: omega, priorWeight } = settings;
  // The initial residual r = b − A·x, with x in the field (zero elsewhere).
  field.values.fill(0);
  scatterToField(laplacian.pixels, x, field);
  const residual = vector();
  applyBandLaplacian(laplacian, field, residual);
  subtractFrom(rhs, residual, x, priorWeight);
  // r̂ = P⁻¹r in place (row u reads only rows already solved, from the field); P⁻¹b for the stopping norm.
  const relaxedInverse = vector();
  for (let u = 0; u < relaxedInverse.length; u++) relaxedInverse[u] = omega / diagonal[u]!;
  solveLowerSweep(laplacian, relaxedInverse, field, residual, residual);
  const transformedRhs = vector();
  solveLowerSweep(laplacian, relaxedInverse, field, rhs, transformedRhs);
  const stop = settings.tolerance * Math.sqrt(weightedDot(transformedRhs, transformedRhs, diagonal));
  const direction = vector();
  let rz = firstDirection(direction, residual, diagonal);
  const t = vector();
  const product = vector();
  const correction = 2 / omega - 1;
  for (let iteration = 0; iteration < settings.maxIterations && Math.sqrt(rz) > stop; iteration++) {
    solveUpperSweep(laplacian, relaxedInverse, field, direction, t);
    eisenstatRightSide(direction, t, diagonal, correction, product);
    solveLowerSweep(laplacian, relaxedInverse, field, product, product);
    const step = rz / addAndCurvature(product, t, direction);
    const next = advance(x, t, residual, product, diagonal, step);
    const beta = next / rz;
    rz = next;
    nextDirection(direction, residual, diagonal, beta);
  }
}

function scatterToField(pixels: Int32Array, x: Float64Array, field: StencilField): void {
  const { values, padding } = field;
  for (let u = 0; u < pixels.length; u++) values[pixels[u]! + padding] = x[u]!;
}

/** `applied ← b − applied − priorWeight·x`: the residual, given L·x in `applied`. */
function subtractFrom(rhs: Float64Array, applied: Float64Array, x: Float64Array, priorWeight: number): void {
  for (let u = 0; u < rhs.length; u++) applied[u] = rhs[u]! - applied[u]! - priorWeight * x[u]!;
}

/** `out ← p − (2/ω − 1)·D·t`, the forward sweep's right-hand side in Â·p. */
function eisenstatRightSide(direction: Float64Array, t: Float64Array, diagonal: Float64Array, correction: number, out: Float64Array): void {
  for (let u = 0; u < direction.length; u++) out[u] = direction[u]! - correction * diagonal[u]! * t[u]!;
}

/** `product ← t + product` (now Â·p); returns pᵀÂp. */
function addAndCurvature(product: Float64Array, t: Float64Array, direction: Float64Array): number {
  let curvature = 0;
  for (let u = 0; u < product.length; u++) {
    const value = (product[u] = t[u]! + product[u]!);
    curvature += direction[u]! * value;
  }
  return curvature;
}

/** `x += step·t`, `r̂ −= step·Â·p`; returns r̂ᵀDr̂. */
function advance(x: Float64Array, t: Float64Array, residual: Float64Array, product: Float64Array, diagonal: Float64Array, step: number): number {
  let next = 0;
  for (let u = 0; u < x.length; u++) {
    x[u]! += step * t[u]!;
    const r = (residual[u] = residual[u]! - step * product[u]!);
    next += r * r * diagonal[u]!;
  }
  return next;
}

/** `p ← D·r̂ + beta·p`; returns r̂ᵀDr̂. */
function nextDirection(direction: Float64Array, residual: Float64Array, diagonal: Float64Array, beta: number): number {
  let rz = 0;
  for (let u = 0; u < direction.length; u++) {
    const preconditioned = diagonal[u]! * residual[u]!;
    direction[u] = preconditioned + beta * direction[u]!;
    rz += residual[u]! * preconditioned;
  }
  return rz;
}

/** `p ← D·r̂` (the direction's first contents are not read); returns r̂ᵀDr̂. */
function firstDirection(direction: Float64Array, residual: Float64Array, diagonal: Float64Array): number {
  let rz = 0;
  for (let u = 0; u < direction.length; u++) {
    const preconditioned = diagonal[u]! * residual[u]!;
    direction[u] = preconditioned;
    rz += residual[u]! * preconditioned;
  }
  return rz;
}

/** Σ aᵢ·bᵢ·wᵢ. */
function weightedDot(a: Float64Array, b: Float64Array, weights: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]! * weights[index]!;
  return sum;
}
