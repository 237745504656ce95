import type { Message, Producer } from 'kafkajs';
import { flightKey, type FlightActual } from '../../common/outcomes/actual';
import { groupCommitter, type GroupCommitter } from '../../common/group-commit';
import { kafkaHeaders } from '../../common/names';

/**
 * Publishes actual arrivals on the actuals topic, keyed by the flight (so that every report of one
 * flight lands on one partition, in order). Sends made while one is in flight go out together.
 */
export class ActualsPublisher {
  private readonly sends: GroupCommitter<Message>;

  constructor(producer: Producer, topic: string) {
    this.sends = groupCommitter((messages) => producer.send({ topic, acks: -1, messages: [...messages] }).then(() => undefined), 1000);
  }

  /** Resolves once Kafka has them all (acks from all in-sync replicas); `requestId` goes with each as a header. */
  async publish(actuals: readonly FlightActual[], requestId?: string): Promise<void> {
    const headers = requestId !== undefined ? { [kafkaHeaders.requestId]: requestId } : undefined;
    await this.sends.write(actuals.map((a) => ({ key: flightKey(a), value: JSON.stringify(a), ...(headers ? { headers } : {}) })));
  }
}
