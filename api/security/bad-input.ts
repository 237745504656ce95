import { HttpException, HttpStatus } from '@nestjs/common';

/** A 400 that names the field and the rule it broke: `{statusCode: 400, error, message, field}`. */
export class BadInputError extends HttpException {
  constructor(message: string, field?: string) {
    super({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message, ...(field ? { field } : {}) }, HttpStatus.BAD_REQUEST);
  }
}

/**
 * A 422 for input whose fields are each well formed but which cannot be processed: a rule across
 * fields (Origin = Dest) or a reference nothing knows (no distance for an airport pair). Same body.
 */
export class UnprocessableInputError extends HttpException {
  constructor(message: string, field?: string) {
    super({ statusCode: HttpStatus.UNPROCESSABLE_ENTITY, error: 'Unprocessable Entity', message, ...(field ? { field } : {}) }, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}
