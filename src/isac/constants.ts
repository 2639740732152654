/** Speed of light, m/s (model notes; the CRB test vectors use it). */
export const SPEED_OF_LIGHT = 299_792_458;
