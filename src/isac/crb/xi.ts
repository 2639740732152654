import { SPEED_OF_LIGHT } from '../constants.js';

/**
 * Ξ_l in its regular form (model notes, typo table): Ξ_l = −2 f_c v sin(θ_l − θ_u)/c.
 * The paper prints Ξ_l = f_D,l tan(θ_l − θ_u) under (13), which has the same value but is 0·∞ at
 * θ_l − θ_u = ±π/2. `chi` = χ_l = sin(θ_l − θ_u); Hz.
 */
export function dopplerXi(carrierHz: number, speed: number, chi: number): number {
  return (-2 * carrierHz * speed * chi) / SPEED_OF_LIGHT;
}
