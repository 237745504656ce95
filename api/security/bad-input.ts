import { HttpException, HttpStatus } from '@nestjs/common';

/** A 400 that names the field and the rule it broke: `{statusCode: 400, error, message, field}`. */
export class BadInputError extends HttpException {
  constructor(message: string, field?: string) {
    super({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message, ...(field ? { field } : {}) }, HttpStatus.BAD_REQUEST);
  }
}
