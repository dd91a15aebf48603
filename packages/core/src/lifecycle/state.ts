/** Where an app is in its life. Health answers from this; it only ever moves forward. */
export type LifecycleState = 'initializing' | 'ready' | 'shutting_down' | 'closed';
