// The distribution functions live in core/ (the play and eval layers need the Student t too);
// analysis modules keep importing them from here.
export * from '../core/distributions.js';
