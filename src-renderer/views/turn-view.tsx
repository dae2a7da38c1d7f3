// The Turn view. (Being built; see the inspector spec.)
import { EmptyState } from '../components/states';
import type { Navigate, Route } from '../lib/route';

export function TurnView({ route, navigate }: { route: Route; navigate: Navigate }) {
  void [route, navigate];
  return <EmptyState title="Turn" />;
}
