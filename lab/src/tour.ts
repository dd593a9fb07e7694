import type { Values } from './controls';

/**
 * The guided tour: the story the service tells, in its order — sigmoid's
 * 1/4, tanh, ReLU and He, dying ReLU and the leaky variants, ELU, batch
 * norm, residual connections, LSTM. Each step is a preset of one panel and
 * two sentences; the figure is the live answer to the preset.
 */

export interface TourStep {
  title: string;
  panel: 'activations' | 'flow' | 'phase' | 'time' | 'race';
  values: Values;
  text: string;
  /** The race starts by itself at this step. */
  run?: boolean;
}

export const tour: readonly TourStep[] = [
  {
    title: 'Sigmoid’s 1/4',
    panel: 'activations',
    values: { acts: 'sigmoid' },
    text: 'The logistic sigmoid’s derivative σ(x)(1 − σ(x)) is at most 1/4, at x = 0, and decays like e^−|x| on both sides. Backpropagation multiplies the gradient by this derivative at every layer, so each sigmoid layer shrinks it by a factor of at least four.',
  },
  {
    title: 'Thirty sigmoid layers',
    panel: 'flow',
    values: { activation: 'sigmoid', depth: '30', init: 'xavier_normal' },
    text: 'Thirty sigmoid layers with Xavier initialisation: the first layer receives about 10^−19 of the gradient the last one gets, so it barely learns. The dashed line is mean-field theory’s prediction for ‖∂L/∂z‖, and the measurement follows it.',
  },
  {
    title: 'tanh',
    panel: 'flow',
    values: { activation: 'tanh', depth: '30', init: 'xavier_normal' },
    text: 'tanh’s derivative reaches 1 at the origin, four times sigmoid’s, and its outputs are centred on zero. With Xavier initialisation a tanh network sits close to the edge of chaos, and the gradient reaching the first layer is about what the last layer gets.',
  },
  {
    title: 'The edge of chaos',
    panel: 'phase',
    values: { activation: 'tanh', w2: '1', b2: '0.05' },
    text: 'Mean-field theory says why: χ₁, the per-layer factor of the squared gradient, is below 1 in the blue ordered phase and above 1 in the orange chaotic one. Click a cell to build a network there and see its Jacobian’s singular values spread or collapse.',
  },
  {
    title: 'ReLU and He',
    panel: 'flow',
    values: { activation: 'relu', depth: '30', init: 'he_normal' },
    text: 'ReLU’s derivative is exactly 1 wherever a unit is active, so it never shrinks the gradient there; instead it zeroes about half of the signal. He initialisation doubles the weights’ variance to make up for that, and the gradient stays within a factor of a few at every depth.',
  },
  {
    title: 'ReLU with Xavier: the signal dies',
    panel: 'flow',
    values: { activation: 'relu', depth: '30', init: 'xavier_normal' },
    text: 'With Xavier’s variance, ReLU halves the signal’s energy at every layer: look at the output’s standard deviation fall in the forward statistics. The weight gradient survives only because a shrinking forward signal meets a growing backward one.',
  },
  {
    title: 'Dying ReLU and the leaky variants',
    panel: 'race',
    values: { acts: 'relu,leaky_relu,prelu', lr: '0.5', init: 'xavier_normal' },
    run: true,
    text: 'At a high learning rate a ReLU unit can be pushed to where it never fires again: its output and its gradient are exactly zero for every input, and it is dead. Leaky ReLU and PReLU keep a small slope below zero, so no unit is ever exactly dead — though at this learning rate PReLU diverges instead (see “diverged at step”).',
  },
  {
    title: 'ELU',
    panel: 'activations',
    values: { acts: 'relu,leaky_relu,elu', start: '-4', stop: '3' },
    text: 'ELU follows the identity for x > 0 and bends smoothly to −α below zero, so negative inputs still pass a gradient and the mean activation moves towards zero. With α = 1 it has no kink at all: its derivative is continuous at 0, where ReLU’s jumps.',
  },
  {
    title: 'Batch normalisation',
    panel: 'flow',
    values: { activation: 'sigmoid', depth: '30', init: 'xavier_normal', norm: 'batch' },
    text: 'Batch normalisation re-centres and re-scales every layer’s pre-activations over the batch, so the sigmoid works in its steep middle. The same thirty sigmoid layers now pass the gradient to the first layer almost undiminished.',
  },
  {
    title: 'Residual connections',
    panel: 'flow',
    values: { activation: 'sigmoid', depth: '30', init: 'xavier_normal', residual: 'plain' },
    text: 'A residual connection adds the identity around each layer, a^l = a^{l−1} + φ(z^l), which gives the gradient a path that no derivative multiplies. The thirty-layer sigmoid network’s gradient ratio climbs from about 10^−19 to about 10^−2.',
  },
  {
    title: 'LSTM',
    panel: 'time',
    values: { cells: 'rnn,lstm,gru', steps: '100' },
    text: 'Through time the gradient is multiplied by the recurrent weights and φ′ at every step, so a tanh RNN loses about fourteen decades of it over 100 steps. The LSTM’s additive cell state, its forget gate biased open, carries about ten million times more of it back to step 1; an untrained GRU does no better than the RNN, because its gates have yet to learn to open.',
  },
];
