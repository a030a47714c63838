/**
 * What a cell said besides its value that the clerk must be told of: tally never counts a
 * figure it cannot read exactly in silence. A reader makes each note a finding at its cell
 * (sheets/cell-note.ts); the value beside it is what was counted (null: nothing was).
 */
export type ValueNote =
  /**
   * An approximation (`约300`, `280余`, `超过100`, `50左右`): the number written is counted, and
   * `bound` says how the true figure may lie from it.
   */
  | { readonly kind: 'approximate'; readonly word: string; readonly bound: Bound }
  /**
   * A measure word that counts another thing than the column (`3件` in a 人次 column): the
   * number is counted, and may count the wrong thing.
   */
  | { readonly kind: 'measure_word'; readonly word: string; readonly counts: string; readonly column: string }
  /**
   * An amount in another magnitude than the column's (`3.5万元` in 元, `35000元` in 万元,
   * `2万人次` in 人次): it states its own magnitude, so it is counted converted into the
   * column's unit (35000), and the clerk is asked to check it. `unit` is the cell's unit as
   * written (万元), `column` the column's (元; null for a column of plain numbers), `value` the
   * amount in the column's unit (35000), `ratio` how many of the column's units one of the
   * cell's is (10,000; 0.0001 for `元` in 万元).
   */
  | {
      readonly kind: 'unit_mismatch';
      readonly unit: string;
      readonly column: string | null;
      readonly value: number;
      readonly ratio: number;
    };

/**
 * How an approximation places the true figure against the number written: `about` (约, 左右),
 * `more` (余, 多, 超过: above it), `atLeast` (以上), `less` (近, 将近: below it), `atMost` (以下, 以内).
 */
export type Bound = 'about' | 'more' | 'atLeast' | 'less' | 'atMost';
