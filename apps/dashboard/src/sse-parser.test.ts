import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('reads the stream the API sends: retry, summary, status with id, heartbeat comments', () => {
    const p = new SseParser();
    const wire =
      'retry: 2000\n\nevent: summary\ndata: {"total":3}\n\n: ping\n\nid: 1700000000000-0\nevent: status\ndata: {"influencerId":"a","status":"purchased"}\n\n';
    const messages = p.push(wire);
    expect(p.retryMs).toBe(2000);
    expect(messages).toEqual([
      { event: 'summary', data: '{"total":3}', id: '' },
      { event: 'status', data: '{"influencerId":"a","status":"purchased"}', id: '1700000000000-0' },
    ]);
    expect(p.lastEventId).toBe('1700000000000-0');
  });

  it('gives the same messages however the bytes are split, with CRLF, CR or LF line ends', () => {
    const wire =
      'id: 7\r\nevent: status\r\ndata: line one\r\ndata: line two\r\n\r\nevent: summary\rdata:x\r\rdata: plain\n\n';
    const whole = new SseParser().push(wire);
    expect(whole).toEqual([
      { event: 'status', data: 'line one\nline two', id: '7' },
      { event: 'summary', data: 'x', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
    for (let size = 1; size <= 5; size++) {
      const p = new SseParser();
      const got = [];
      for (let i = 0; i < wire.length; i += size) got.push(...p.push(wire.slice(i, i + size)));
      expect(got).toEqual(whole);
    }
  });

  it('ignores events without data, unknown fields, ids with NUL and non-numeric retry', () => {
    const p = new SseParser();
    expect(p.push('event: summary\n\nfoo: bar\nid: a\0b\nretry: soon\ndata\n\n')).toEqual([
      { event: 'message', data: '', id: '' },
    ]);
    expect(p.retryMs).toBeUndefined();
    expect(p.push('data: partial')).toEqual([]);
  });
});
