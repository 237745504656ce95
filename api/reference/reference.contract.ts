/** The reference data routes' contracts: what the form's pickers read. */
import { z } from 'zod';
import { distanceSources } from '../../common/prediction/distance';
import { airportCode } from '../../common/prediction/request';
import { routeContract } from '../contract/route-contract';

export const airportsRoute = routeContract({
  summary: 'Airports: those the champion model was trained on (all of airports.csv when there is none), with names',
  rateLimited: true,
  responses: {
    200: { description: 'by code', body: z.array(z.object({ code: z.string(), name: z.string(), city: z.string().nullable(), state: z.string().nullable() })) },
  },
});

export const carriersRoute = routeContract({
  summary: 'Carriers the champion model was trained on (an unseen carrier is still scored)',
  rateLimited: true,
  responses: { 200: { description: 'by code', body: z.array(z.object({ code: z.string(), name: z.string() })) } },
});

export const distanceRoute = routeContract({
  summary: 'The distance a prediction would use: origin_dest_distances (either direction), then the great circle',
  query: z.object({ origin: airportCode.describe('origin airport code'), dest: airportCode.describe('destination airport code') }),
  rateLimited: true,
  responses: {
    200: {
      description: 'the distance in miles and where it came from',
      body: z.object({ Origin: z.string(), Dest: z.string(), Distance: z.number(), source: z.enum(distanceSources as [string, ...string[]]) }),
    },
    404: 'no distance for the pair: neither in origin_dest_distances nor both airports with coordinates',
  },
});

export const linksRoute = routeContract({
  summary: 'Where the Temporal UI and the MLflow UI are, for the pages',
  rateLimited: true,
  responses: { 200: { description: 'the links', body: z.object({ temporalUi: z.string(), mlflowUi: z.string() }) } },
});
