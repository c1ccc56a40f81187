/** The app's lesson and challenge logic, loaded on demand: unusable (and saying so) until loaded, then the real thing. */
import { describe, expect, it } from 'vitest';
import * as teach from './lazyTeach';
import { NO_PROGRESS } from '../../teach/trainee';
import { LESSONS } from '../../teach/lessons/index';

describe('lazyTeach', () => {
  it('its NO_PROGRESS is the trainee module’s', () => {
    expect(teach.NO_PROGRESS).toEqual(NO_PROGRESS);
  });

  it('refuses calls before loadTeach, binds the real functions and data after it', async () => {
    expect(teach.teachLoaded()).toBe(false);
    expect(() => teach.builtinChallenge('silent-hang')).toThrow('builtinChallenge was called before the lesson and challenge code was loaded');
    expect(teach.LESSONS).toEqual([]);
    await teach.loadTeach();
    expect(teach.teachLoaded()).toBe(true);
    expect(teach.builtinChallenge('silent-hang')?.id).toBe('silent-hang');
    expect(teach.LESSONS).toBe(LESSONS);
    const l = teach.loadLesson(LESSONS[0]!.json);
    expect(l.ok && teach.stepScenarios(l.lesson).length).toBe(l.ok ? l.lesson.steps.length : -1);
  });
});
