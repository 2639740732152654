import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  defineStage,
  EchoAmplitudes,
  Echoes,
  type Frame,
  type Stage,
  type StageContext,
  TOKENS,
} from '../../src/plugin.js';
import { synthesizeEcho, type EchoTensor } from '../../src/isac/echo-model.js';

export const echoGeneratorParams = z
  .object({
    noise: z
      .boolean()
      .default(true)
      .describe('add CN(0, σ²) receiver noise (false: the noise-free echo of eq. 1)'),
    noiseVariance: z
      .number()
      .positive()
      .default(1)
      .describe('receiver noise variance σ² per sample (SNR sets |α|² = SNR·σ²)'),
  })
  .strict();

export type EchoGeneratorParams = z.infer<typeof echoGeneratorParams>;

/**
 * Echo generator (eq. 1 with the model notes): per AP an N_A x N_c x M complex tensor after pilot
 * removal, summed over targets, |α|²/σ² = SNR per the scenario's path-loss rule, a uniform random
 * RCS phase per echo, CN(0, σ²) noise. AP l draws from the stream fork('ap', l) of this stage.
 */
@injectable()
export class EchoGeneratorStage implements Stage {
  constructor(@inject(TOKENS.StageParams) private readonly params: EchoGeneratorParams) {}

  process(frame: Frame, ctx: StageContext): void {
    const echoes: EchoTensor[] = [];
    const amplitudes: Float64Array[] = [];
    frame.aps.forEach((ap, l) => {
      const { tensor, amplitudes: a } = synthesizeEcho(
        frame.scenario.system,
        ap,
        frame.truth,
        frame.scenario.snr,
        ctx.rng.fork('ap', l),
        {
          noise: this.params.noise,
          noiseVariance: this.params.noiseVariance,
          // frame-scoped: the engine reuses it for a later frame once this frame's record is out
          data: ctx.buffer(
            2 * ap.antennas * frame.scenario.system.subcarriers * frame.scenario.system.symbols,
          ),
        },
      );
      echoes.push(tensor);
      amplitudes.push(a);
    });
    ctx.write(frame, Echoes, echoes);
    ctx.write(frame, EchoAmplitudes, amplitudes);
  }
}

/**
 * A pipeline that synthesises the echoes at 10 dB and checks them with the FFT detector:
 * @example
 * ```yaml
 * isacflow: 1
 * name: echoes
 * scenario: { snr: { db: 10 } }
 * run: { trials: 4 }
 * stages:
 *   - { id: echoes, uses: echo-generator, params: { noise: true, noiseVariance: 1 } }
 *   - { id: fft, uses: fft-detector }
 * ```
 */
export const echoGenerator = defineStage({
  name: 'echo-generator',
  summary:
    'Echo tensors N_A x N_c x M per AP (eq. 1): targets summed, radar path loss, random RCS phase, CN(0, σ²) noise',
  params: echoGeneratorParams,
  reads: [],
  adds: [Echoes, EchoAmplitudes],
  needsTruth: () => 'it simulates the echoes of the true targets',
  releasesFrameData: true,
  stage: EchoGeneratorStage,
});
