/** One TMF630 attribute condition: the values are alternatives (OR), except for `ne` (none of them). */
export type FilterOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'regex';

export interface FilterClause {
  /** Attribute path, one segment per level: `event.productOrder.state` is ['event', 'productOrder', 'state']. */
  path: string[];
  op: FilterOperator;
  values: string[];
  /** Compiled once when the clause is parsed, for `regex` only. */
  regex?: RegExp;
}

export const FILTER_OPERATORS: readonly FilterOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'regex'];
