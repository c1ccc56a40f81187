/**
 * The lesson and challenge logic for App.svelte, loaded on demand (teachLogic.ts is a chunk of
 * its own: the lesson and challenge files, their loaders and checkers are not part of the first
 * screen). `loadTeach()` resolves once the bindings below are the real ones; until then a call
 * throws, so App waits for it before following a lesson or challenge link (see its `follow`).
 * The bindings are live (`export let`): importers see the loaded values.
 * See docs/DECISIONS.md, "Bundle size (issue 16)".
 */
import type * as Logic from './teachLogic';
import type { ChallengeProgress } from '../../teach/trainee';

/** A challenge's progress before anything was tried (as teach/trainee.ts's NO_PROGRESS; lazyTeach.test.ts checks they agree). */
export const NO_PROGRESS: ChallengeProgress = { attempts: 0, solved: false, solvedOnAttempt: null, hintsShown: 0, verdictRevealedBeforeSolving: false, last: null, file: null };

const notYet = (name: string) => () => {
  throw new Error(`${name} was called before the lesson and challenge code was loaded (await loadTeach() first)`);
};
export let afterReveal: typeof Logic.afterReveal = notYet('afterReveal');
export let builtinChallenge: typeof Logic.builtinChallenge = notYet('builtinChallenge');
export let decodeChallenge: typeof Logic.decodeChallenge = notYet('decodeChallenge');
export let traineeScenario: typeof Logic.traineeScenario = notYet('traineeScenario');
export let withFile: typeof Logic.withFile = notYet('withFile');
export let editableLabel: typeof Logic.editableLabel = notYet('editableLabel');
export let loadChallengeProgress: typeof Logic.loadChallengeProgress = notYet('loadChallengeProgress');
export let saveChallengeProgress: typeof Logic.saveChallengeProgress = notYet('saveChallengeProgress');
export let loadLesson: typeof Logic.loadLesson = notYet('loadLesson');
export let resolvePosition: typeof Logic.resolvePosition = notYet('resolvePosition');
export let scenarioFileFor: typeof Logic.scenarioFileFor = notYet('scenarioFileFor');
export let stepScenarios: typeof Logic.stepScenarios = notYet('stepScenarios');
export let LESSONS: typeof Logic.LESSONS = [];

let loaded: Promise<void> | null = null;
let ready = false;

/** Whether the bindings are the real ones. */
export const teachLoaded = (): boolean => ready;

/** Loads teachLogic.ts (once) and binds its exports here. */
export function loadTeach(): Promise<void> {
  return (loaded ??= import('./teachLogic').then(
    (m) => {
      ({
        afterReveal,
        builtinChallenge,
        decodeChallenge,
        traineeScenario,
        withFile,
        editableLabel,
        loadChallengeProgress,
        saveChallengeProgress,
        loadLesson,
        resolvePosition,
        scenarioFileFor,
        stepScenarios,
        LESSONS,
      } = m);
      ready = true;
    },
    (e: unknown) => {
      loaded = null; // a later link tries again
      throw e;
    },
  ));
}
