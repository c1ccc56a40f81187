/**
 * The teaching layer's public face (pure, no DOM): lesson files and their checker, the
 * glossary, the safe markup, and the PORT/EPRT/227/229 arithmetic. The UI and the CLI
 * import from here.
 */
export { parseMarkup, parseCodeSpans, plainText, termsIn, joinText, type Token } from './markup';
export { portArithmetic, type PortArithmetic, type AddressLineKind } from './arithmetic';
export { GLOSSARY, glossaryEntry, hasTerm, replyCodeTerm, linkTerms, verdictTokens, markup, termLabel, type GlossaryEntry } from './glossary';
export {
  lessonSchema,
  type Lesson,
  type Step,
  type Predict,
  type Task,
  type Probe,
  type Position,
  type Target,
  type Edit,
  type ScenarioRef,
  type Answer,
  type ClientClaim,
} from './schema';
export { loadLesson, checkLesson, verifyLessonText, scenarioFileFor, stepScenarios, programOf, runFile, formatLessonError, type LessonError, type LessonLoad } from './lesson';
export { applyEdit, type EditResult } from './edit';
export { runProbe, answerMatches, type RunContext, type ProbeResult } from './probes';
export { resolvePosition, type PositionResult } from './positions';
export { checkTarget, targetKey, ftpPayloadLine } from './targets';
export { stepCaption } from './caption';
export { clientFacts, clientNote, claimProblems, PROGRAM_NAMES, type ClientFacts } from './clientClaims';
