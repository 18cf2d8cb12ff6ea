/** An error the emulator returns in the service's wire shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    /** Answered by AWS's front door (signature, request time) rather than by the service: a body with a message only. */
    readonly frontDoor = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function defaultErrorType(service: 'lambda' | 'logs', status: number): string {
  if (service === 'lambda') {
    switch (status) {
      case 400:
        return 'InvalidParameterValueException';
      case 404:
        return 'ResourceNotFoundException';
      case 409:
        return 'ResourceConflictException';
      case 412:
        return 'PreconditionFailedException';
      case 429:
        return 'TooManyRequestsException';
      default:
        return 'ServiceException';
    }
  }
  switch (status) {
    case 400:
      return 'LimitExceededException';
    case 404:
      return 'ResourceNotFoundException';
    case 429:
      return 'ThrottlingException';
    default:
      return 'ServiceUnavailableException';
  }
}
