import { describe, expect, it } from 'vitest';
import { parseSpikeGlxMeta } from '../../../../src/core/formats/spikeglx';
import { FormatError } from '../../../../src/core/diagnostics';

/** An IMRO table: header then one entry per channel built by `entry(ch)`. */
function imro(header: string, n: number, entry: (ch: number) => string): string {
  let s = `(${header})`;
  for (let ch = 0; ch < n; ch++) s += `(${entry(ch)})`;
  return s;
}

/** A Neuropixels 1.0 (3B2) AP-band .meta as SpikeGLX 20190724 writes it (abridged chan maps). */
const NP1_AP_META = [
  'acqApLfSy=384,384,1',
  'appVersion=20190724',
  'fileCreateTime=2020-03-11T15:32:08',
  'fileName=D:/data/mouse1_g0/mouse1_g0_imec0/mouse1_g0_t0.imec0.ap.bin',
  'fileSHA1=3F1A0A1E6B5C2A0F8F5C2B0C8A8E2C9D7B4A1F00',
  'fileSizeBytes=46200000000',
  'fileTimeSecs=2000.0000',
  'firstSample=79020',
  'gateMode=Immediate',
  'imAiRangeMax=0.6',
  'imAiRangeMin=-0.6',
  'imDatApi=1.20',
  'imDatBs_fw=1.1.128',
  'imDatPrb_pn=PRB_1_4_0480_1',
  'imDatPrb_sn=18005116921',
  'imDatPrb_type=0',
  'imLEDEnable=false',
  'imRoFile=',
  'imSampRate=30000.27',
  'imTrgRising=true',
  'imTrgSource=0',
  'nSavedChans=385',
  'snsApLfSy=384,0,1',
  'snsSaveChanSubset=0:383,768',
  'syncImInputSlot=6',
  'syncSourceIdx=0',
  'syncSourcePeriod=1.0',
  'trigMode=Immediate',
  'typeImEnabled=1',
  'typeNiEnabled=0',
  'typeThis=imec',
  'userNotes=',
  `~imroTbl=${imro('0,384', 384, (ch) => `${ch} 0 0 500 250 1`)}`,
  '~snsChanMap=(384,384,1)(AP0;0:0)(AP1;1:1)(SY0;768:768)',
  '~snsShankMap=(1,2,480)(0:0:0:1)(0:1:0:1)',
].join('\n');

/** The LF-band file of the same probe (lfgain 250, 2.5 kHz). */
const NP1_LF_META = NP1_AP_META.replace('imSampRate=30000.27', 'imSampRate=2500.0225').replace('snsApLfSy=384,0,1', 'snsApLfSy=0,384,1');

/** A Neuropixels 2.0 single-shank (type 21) .meta, CRLF line endings as written on Windows. */
const NP2_META = [
  'acqApLfSy=384,0,1',
  'appVersion=20201103',
  'fileSizeBytes=2310000000',
  'fileTimeSecs=100.0',
  'imAiRangeMax=0.62',
  'imAiRangeMin=-0.62',
  'imDatPrb_type=21',
  'imMaxInt=8192',
  'imSampRate=30000',
  'nSavedChans=385',
  'snsApLfSy=384,0,1',
  'typeThis=imec',
  `~imroTbl=${imro('21,384', 384, (ch) => `${ch} 1 0 ${ch}`)}`,
].join('\r\n');

describe('parseSpikeGlxMeta', () => {
  it('reads a Neuropixels 1.0 AP meta: rate, channels, gain 500 → 2.34375 µV/bit', () => {
    const m = parseSpikeGlxMeta(NP1_AP_META, '/d/run.imec0.ap.meta');
    expect(m.typeThis).toBe('imec');
    expect(m.sampleRate).toBe(30000.27);
    expect(m.nSavedChans).toBe(385);
    expect(m.snsApLfSy).toEqual([384, 0, 1]);
    expect(m.band).toBe('ap');
    expect(m.probeType).toBe(0);
    expect(m.aiRangeMax).toBe(0.6);
    expect(m.maxInt).toBe(512);
    expect(m.gain).toBe(500);
    expect(m.channelGains).toHaveLength(384);
    expect(m.gainUvPerBit).toBeCloseTo(2.34375, 10);
    expect(m.fileSizeBytes).toBe(46200000000);
    expect(m.fileTimeSecs).toBe(2000);
    expect(m.fields.imDatPrb_pn).toBe('PRB_1_4_0480_1');
    expect(m.fields.snsChanMap).toMatch(/^\(384,384,1\)/);
  });

  it('uses the LF gain for an LF-band file', () => {
    const m = parseSpikeGlxMeta(NP1_LF_META, '/d/run.imec0.lf.meta');
    expect(m.band).toBe('lf');
    expect(m.sampleRate).toBe(2500.0225);
    expect(m.gain).toBe(250);
    expect(m.gainUvPerBit).toBeCloseTo(4.6875, 10);
  });

  it('takes per-channel gains from the IMRO table', () => {
    const meta = NP1_AP_META.replace(/~imroTbl=.*/, `~imroTbl=${imro('0,384', 384, (ch) => `${ch} 0 0 ${ch < 10 ? 1000 : 500} 250 1`)}`);
    const m = parseSpikeGlxMeta(meta, 'x.meta');
    expect(m.gain).toBe(1000);
    expect(m.channelGains![9]).toBe(1000);
    expect(m.channelGains![10]).toBe(500);
    expect(m.gainUvPerBit).toBeCloseTo(0.6 / 512 / 1000 * 1e6, 10);
  });

  it('reads a Neuropixels 2.0 meta: fixed gain 80, 14-bit ADC → 0.946 µV/bit', () => {
    const m = parseSpikeGlxMeta(NP2_META, '/d/np2.imec0.ap.meta');
    expect(m.sampleRate).toBe(30000);
    expect(m.nSavedChans).toBe(385);
    expect(m.probeType).toBe(21);
    expect(m.gain).toBe(80);
    expect(m.maxInt).toBe(8192);
    expect(m.gainUvPerBit).toBeCloseTo((0.62 / 8192 / 80) * 1e6, 10);
    expect(m.gainUvPerBit).toBeCloseTo(0.946, 3);
  });

  it('defaults imMaxInt to 8192 for NP2.0 four-shank tables without imMaxInt or probe type', () => {
    const meta = ['imAiRangeMax=0.62', 'imSampRate=30000', 'nSavedChans=385', `~imroTbl=${imro('24,384', 384, (ch) => `${ch} ${ch % 4} 0 0 ${ch}`)}`].join('\n');
    const m = parseSpikeGlxMeta(meta, 'x.meta');
    expect(m.probeType).toBe(24);
    expect(m.gain).toBe(80);
    expect(m.maxInt).toBe(8192);
    expect(m.gainUvPerBit).toBeCloseTo((0.62 / 8192 / 80) * 1e6, 10);
  });

  it('reads an NI-DAQ meta with the MN gain', () => {
    const meta = ['typeThis=nidq', 'niSampRate=25000', 'nSavedChans=9', 'niAiRangeMax=5', 'niMaxInt=32768', 'niMNGain=200', 'snsMnMaXaDw=8,0,0,1'].join('\n');
    const m = parseSpikeGlxMeta(meta, 'x.nidq.meta');
    expect(m.sampleRate).toBe(25000);
    expect(m.nSavedChans).toBe(9);
    expect(m.gainUvPerBit).toBeCloseTo((5 / 32768 / 200) * 1e6, 10);
  });

  it('leaves fields undefined when absent', () => {
    const m = parseSpikeGlxMeta('imSampRate=30000\nsomething else\n', 'x.meta');
    expect(m.sampleRate).toBe(30000);
    expect(m.nSavedChans).toBeUndefined();
    expect(m.gain).toBeUndefined();
    expect(m.gainUvPerBit).toBeUndefined();
    expect('gainUvPerBit' in m).toBe(false);
  });

  it('rejects a file with no key=value line', () => {
    try {
      parseSpikeGlxMeta('\x00\x01binary junk', '/d/bad.meta');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).code).toBe('spikeglx.badMeta');
      expect((e as FormatError).file).toBe('/d/bad.meta');
    }
  });
});
