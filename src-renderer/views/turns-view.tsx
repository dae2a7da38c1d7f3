// The Turns view. (Being built; see the inspector spec.)
import { EmptyState } from '../components/states';
import type { Navigate, Route } from '../lib/route';

export function TurnsView({ route, navigate }: { route: Route; navigate: Navigate }) {
  void [route, navigate];
  return <EmptyState title="Turns" />;
}
