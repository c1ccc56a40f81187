/**
 * What the app needs to open a lesson or a challenge (the lesson and challenge files, their
 * loaders, the trainee's progress), in one chunk that arrives with the first lesson or challenge
 * link rather than with the first screen. App.svelte reaches it through lazyTeach.ts.
 */
export { afterReveal, builtinChallenge, decodeChallenge, traineeScenario, withFile } from '../../teach/trainee';
export { editableLabel } from '../../teach/checker';
export { loadProgress as loadChallengeProgress, saveProgress as saveChallengeProgress } from './progressStore';
export { loadLesson, resolvePosition, scenarioFileFor, stepScenarios } from '../../teach/index';
export { LESSONS } from '../../teach/lessons/index';
