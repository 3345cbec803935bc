// The meeting screen's pure rules on a page of their own, for StageRulesBrowserTest: the same
// code the app runs, called from the test through window.stageRules.
import * as rules from '../meeting/stage/rules';

declare global {
  interface Window {
    stageRules: typeof rules & { parseBytes: (bytes: number[]) => string | null };
  }
}

window.stageRules = { ...rules, parseBytes: (bytes) => rules.parseReaction(new Uint8Array(bytes)) };
document.body.dataset.ready = 'true';
