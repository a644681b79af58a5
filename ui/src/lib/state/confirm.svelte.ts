// One confirmation dialog for the whole app: `await confirmer.ask({...})` is true on OK.

export interface ConfirmRequest {
  title: string;
  body: string;
  /** A second paragraph, e.g. what stays safe. */
  note?: string;
  ok: string;
  cancel?: string;
  danger?: boolean;
  /** A unified diff of what will change, shown before the person confirms. */
  diff?: string;
}

class Confirmer {
  request: ConfirmRequest | null = $state(null);
  #resolve: ((ok: boolean) => void) | null = null;

  ask(req: ConfirmRequest): Promise<boolean> {
    this.#resolve?.(false);
    this.request = req;
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  answer(ok: boolean) {
    const r = this.#resolve;
    this.#resolve = null;
    this.request = null;
    r?.(ok);
  }
}

export const confirmer = new Confirmer();
