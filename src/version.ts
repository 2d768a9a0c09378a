/** varietal's version, printed by `varietal --version`. */
export const VERSION = "0.1.0";
