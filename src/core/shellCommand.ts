// Which shells a terminal tries, from the setting cmp.terminalShell: empty means bash, then sh
// (images without bash still get a terminal); otherwise one program and its arguments, split on
// spaces (an argument list, never a shell string).

export const automaticShellList: readonly string[][] = [['bash'], ['sh']];

export function shellsFromSetting(text: string): { shells: readonly string[][]; problem?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { shells: automaticShellList };
  if (trimmed.length > 256 || /\p{Cc}/u.test(trimmed)) return { shells: automaticShellList, problem: 'cmp.terminalShell is not a program with arguments (too long, or control characters); using bash, then sh' };
  return { shells: [trimmed.split(/ +/)] };
}
