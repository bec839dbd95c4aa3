import { describe, expect, it } from 'vitest';
import type { Actor } from '../domain/decide.js';
import type { Canvass } from '../services/canvass.js';
import { protocolFor } from '../../test/support/small-election.js';
import { checkedExitPoll, checkedProtocol, checkedTurnout, parseProtocol } from './checked.js';

describe('checked values', () => {
  it('passes a value its schema accepts through as it is', () => {
    const protocol = protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 }, { reason: 'recount of box 2' });
    expect(checkedProtocol(protocol)).toBe(protocol);
    const parsed = parseProtocol(protocol);
    expect(parsed.ok && parsed.value).toBe(protocol);
  });

  it('refuses what the ledger would refuse to read back, naming the field', () => {
    // A correction reason of two letters: decided and committed, it would be "unreadable" to every catch-up.
    const protocol = protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 }, { reason: 'r1' });
    expect(() => checkedProtocol(protocol)).toThrow(/^reason: /);
    expect(() => checkedTurnout({ election: 'test-2026', station: 'r1-d1-s1', at: '10:00', participated: -1 })).toThrow(/^participated: /);
  });

  it('checks an exit poll as the ledger will read it back: a whole sample of at least one, trimmed names', () => {
    const poll = {
      contest: 'president',
      organisation: '  Demoscope ',
      publishedAt: '2022-11-20T20:00:00+06:00',
      sampleSize: 12_000,
      method: 'face-to-face at 250 stations',
      estimates: { a: '82.2' },
    };
    expect(checkedExitPoll(poll)).toEqual({ ...poll, organisation: 'Demoscope' });
    // The ledger reads back only whole samples of at least one: committed, these would stop every later replay.
    expect(() => checkedExitPoll({ ...poll, sampleSize: 0 })).toThrow(/^sampleSize: /);
    expect(() => checkedExitPoll({ ...poll, sampleSize: 10.5 })).toThrow(/^sampleSize: /);
    expect(() => checkedExitPoll({ ...poll, organisation: ' ' })).toThrow(/^organisation: /);
    expect(() => checkedExitPoll({ ...poll, margin: '2' })).toThrow(/margin/);
  });

  it('is what the service takes: an unchecked protocol does not type-check', () => {
    const submit = (canvass: Canvass, actor: Actor) =>
      // @ts-expect-error a Protocol that has not passed its schema (npm run typecheck fails if this compiles)
      canvass.submitProtocol(actor, protocolFor('r1-d1-s1', { a: 10, b: 20, c: 30, 'against-all': 5 }), null);
    expect(submit).toBeTypeOf('function');
  });

  it('is what the service takes: an unchecked exit poll does not type-check', () => {
    const poll = { contest: 'president', organisation: 'Demoscope', publishedAt: '', sampleSize: 0, method: 'face-to-face', estimates: {} };
    const register = (canvass: Canvass, actor: Actor) =>
      // @ts-expect-error an exit poll that has not passed its schema (npm run typecheck fails if this compiles)
      canvass.registerExitPoll(actor, 'test-2026', poll, null);
    expect(register).toBeTypeOf('function');
  });
});
