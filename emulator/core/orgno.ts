const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Norwegian organisation number: nine digits whose last digit is the MOD11 check digit of the first eight. */
export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * (WEIGHTS[i] as number);
  const rest = 11 - (sum % 11);
  const check = rest === 11 ? 0 : rest;
  return check !== 10 && check === Number(value[8]);
}
