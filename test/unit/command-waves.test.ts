import { commandWaves, type CommandEvent } from '../helpers/command-waves';

const start = (requestId: number, command: string): CommandEvent => ({ kind: 'start', requestId, command });
const end = (requestId: number): CommandEvent => ({ kind: 'end', requestId });

describe('command waves (the round-trip test counts sequential round trips with them)', () => {
  it.each<[string, CommandEvent[], string[][]]>([
    ['no command', [], []],
    ['one command', [start(1, 'find a'), end(1)], [['find a']]],
    ['two in sequence', [start(1, 'find a'), end(1), start(2, 'insert b'), end(2)], [['find a'], ['insert b']]],
    ['two issued together', [start(1, 'find a'), start(2, 'find b'), end(2), end(1)], [['find a', 'find b']]],
    [
      'a command started once one of the wave ended waits on it, even while another still runs',
      [start(1, 'find a'), start(2, 'find b'), end(1), start(3, 'insert c'), end(2), end(3)],
      [['find a', 'find b'], ['insert c']],
    ],
    ['the end of a command not in the slice changes nothing', [start(1, 'find a'), end(9), start(2, 'find b'), end(1), end(2)], [['find a', 'find b']]],
    ['a command whose end is missing keeps the next in its wave', [start(1, 'find a'), start(2, 'find b')], [['find a', 'find b']]],
  ])('%s', (_, events, waves) => {
    expect(commandWaves(events)).toEqual(waves);
  });
});
