import { element } from './dom';

/**
 * Form controls described as data: each has a key (its name in the URL), a
 * label, a type and a default. A panel's values are plain strings keyed by
 * control, so that the whole state of an experiment fits in a link.
 */

export type Values = Record<string, string>;

interface Option {
  value: string;
  label: string;
}

interface Common {
  key: string;
  label: string;
  default: string;
  /** A sentence under the control (also its accessible description). */
  help?: string;
  /** Shown only when it returns true (a forget bias for LSTMs only). */
  visible?: (values: Values) => boolean;
}

export type ControlSpec =
  | (Common & { type: 'select'; options: readonly (string | Option)[] })
  | (Common & { type: 'range' | 'number'; min: number; max: number; step: number })
  | (Common & { type: 'checkbox' })
  | (Common & { type: 'checkboxes'; options: readonly (string | Option)[] });

const optionOf = (option: string | Option): Option => (typeof option === 'string' ? { value: option, label: option } : option);

export interface BuiltControl {
  spec: ControlSpec;
  element: HTMLElement;
  set(value: string): void;
}

/** How long after the last keystroke or slider step a change is sent (a drag sends one request, not fifty). */
const INPUT_DEBOUNCE_MS = 120;

export function buildControl(prefix: string, spec: ControlSpec, value: string, onChange: (key: string, value: string) => void): BuiltControl {
  const id = `${prefix}-${spec.key.replace(/\W/g, '-')}`;
  const helpId = `${id}-help`;
  const help = spec.help === undefined ? null : element('p', { class: 'help', id: helpId }, spec.help);
  const described: Record<string, string> = help === null ? {} : { 'aria-describedby': helpId };

  if (spec.type === 'checkboxes') {
    const boxes = spec.options.map(optionOf).map((option) => {
      const box = element('input', { type: 'checkbox', id: `${id}-${option.value}`, value: option.value, name: id });
      box.addEventListener('change', () => onChange(spec.key, boxes.filter(({ box: b }) => b.checked).map(({ option: o }) => o.value).join(',')));
      return { option, box, label: element('label', { for: `${id}-${option.value}` }, box, ` ${option.label}`) };
    });
    const set = (text: string): void => {
      const chosen = new Set(text.split(',').filter(Boolean));
      for (const { option, box } of boxes) box.checked = chosen.has(option.value);
    };
    set(value);
    const fieldset = element('fieldset', { class: 'control checkboxes', 'data-control': spec.key, ...described }, element('legend', {}, spec.label), element('div', { class: 'boxes' }, ...boxes.map(({ label }) => label)), help);
    return { spec, element: fieldset, set };
  }

  if (spec.type === 'checkbox') {
    const box = element('input', { type: 'checkbox', id, ...described });
    box.checked = value === 'true';
    box.addEventListener('change', () => onChange(spec.key, String(box.checked)));
    const wrapper = element('div', { class: 'control checkbox', 'data-control': spec.key }, element('label', { for: id }, box, ` ${spec.label}`), help);
    return { spec, element: wrapper, set: (text) => (box.checked = text === 'true') };
  }

  if (spec.type === 'select') {
    const select = element('select', { id, ...described }, ...spec.options.map(optionOf).map((option) => element('option', { value: option.value }, option.label)));
    select.value = value;
    select.addEventListener('change', () => onChange(spec.key, select.value));
    const wrapper = element('div', { class: 'control', 'data-control': spec.key }, element('label', { for: id }, spec.label), select, help);
    return { spec, element: wrapper, set: (text) => (select.value = text) };
  }

  const input = element('input', { type: spec.type, id, min: String(spec.min), max: String(spec.max), step: String(spec.step), ...described });
  input.value = value;
  const output = spec.type === 'range' ? element('output', { for: id, 'aria-hidden': 'true' }, value) : null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = (): void => {
    clearTimeout(timer);
    const number = Number(input.value);
    if (input.value === '' || !Number.isFinite(number) || number < spec.min || number > spec.max) {
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    input.removeAttribute('aria-invalid');
    onChange(spec.key, input.value);
  };
  const schedule = (): void => {
    if (output !== null) output.textContent = input.value;
    clearTimeout(timer);
    timer = setTimeout(send, INPUT_DEBOUNCE_MS);
  };
  // A slider moved by the keyboard fires both events at every step: held arrow keys make one request, at the end.
  input.addEventListener('input', schedule);
  input.addEventListener('change', schedule);
  const wrapper = element('div', { class: `control ${spec.type}`, 'data-control': spec.key }, element('label', { for: id }, spec.label, output === null ? '' : ' ', output ?? ''), input, help);
  return {
    spec,
    element: wrapper,
    set: (text) => {
      input.value = text;
      if (output !== null) output.textContent = text;
    },
  };
}

/** Shows or hides the controls that depend on other values. */
export function refreshVisibility(controls: readonly BuiltControl[], values: Values): void {
  for (const control of controls) control.element.hidden = control.spec.visible !== undefined && !control.spec.visible(values);
}
