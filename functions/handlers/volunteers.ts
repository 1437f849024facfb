import { createHandler, type Implementations } from '../http/handler';

// Placeholder until the capability lands: every route answers ROUTE_NOT_FOUND.
export const handler = createHandler('volunteers', {} as Implementations<'volunteers'>);
